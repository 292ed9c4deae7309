using System.Globalization;
using System.Text.RegularExpressions;
using Atende.Core.Common;
using Atende.Core.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace Atende.Core.Tickets;

// References ("SUP-12"): numbered per pipeline alias from a counter that only goes up, and found again by their text.
public sealed partial class TicketService
{
    public async Task<Ticket> GetByReference(string reference, CancellationToken ct = default)
    {
        var clean = SearchText.Clean(reference).ToUpperInvariant();
        return await Visible().Include(t => t.Tags).FirstOrDefaultAsync(t => t.Reference == clean, ct)
            ?? throw new NotFoundException("Atendimento não encontrado.");
    }

    /// <summary>The next number for a reference prefix (see ReferenceCounters).</summary>
    private Task<long> NextNumber(string alias, CancellationToken ct) => ReferenceCounters.Next(db, alias, ct);

    [GeneratedRegex(@"^[a-z][a-z0-9]{0,9}-[0-9]+$")]
    private static partial Regex ReferencePattern();
}
