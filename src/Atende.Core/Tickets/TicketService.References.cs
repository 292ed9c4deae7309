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

    /// <summary>
    /// The next number for a reference prefix, from a counter row that only ever goes up (see ReferenceCounter).
    /// The upsert locks the row until the transaction ends, so concurrent creations queue on it and get distinct numbers.
    /// </summary>
    private async Task<long> NextNumber(string alias, CancellationToken ct)
    {
        var connection = db.Database.GetDbConnection();
        await using var command = connection.CreateCommand();
        command.Transaction = db.Database.CurrentTransaction?.GetDbTransaction();
        command.CommandText = """
            INSERT INTO "ReferenceCounters" ("Alias", "Last") VALUES (@alias, 1)
            ON CONFLICT ("Alias") DO UPDATE SET "Last" = "ReferenceCounters"."Last" + 1
            RETURNING "Last"
            """;
        var parameter = command.CreateParameter();
        parameter.ParameterName = "@alias";
        parameter.Value = alias;
        command.Parameters.Add(parameter);
        return Convert.ToInt64(await command.ExecuteScalarAsync(ct), CultureInfo.InvariantCulture);
    }

    [GeneratedRegex(@"^[a-z][a-z0-9]{0,9}-[0-9]+$")]
    private static partial Regex ReferencePattern();
}
