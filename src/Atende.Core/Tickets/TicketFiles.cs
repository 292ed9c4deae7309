using Atende.Core.Files;

namespace Atende.Core.Tickets;

/// <summary>An uploaded file as the request gives it.</summary>
public sealed record Upload(string FileName, Stream Content);

/// <summary>
/// Tickets with files: uploads are checked and stored, then attached, in one transaction (a refused change leaves no
/// bytes behind: <see cref="FileService.InTransaction{T}"/>); purging a ticket or removing an attachment deletes the
/// bytes after the rows are gone.
/// </summary>
public sealed class TicketFiles(TicketService tickets, FileService files, IFileStore store)
{
    public async Task<List<TicketAttachment>> Attach(long ticketId, IReadOnlyList<Upload> uploads, CancellationToken ct = default)
    {
        if (uploads.Count == 0)
        {
            throw new Common.ValidationException("file", "Escolha ao menos um arquivo.");
        }
        await tickets.RequireVisible(ticketId, ct);
        return await files.InTransaction(async () => await tickets.Attach(ticketId, await Store(uploads, ct), ct), ct);
    }

    public async Task<(Interaction Interaction, EmailOutcome? Email)> PostInteraction(long ticketId, string? body, bool isInternal, bool notify, IReadOnlyList<Upload> uploads, CancellationToken ct = default)
    {
        await tickets.RequireVisible(ticketId, ct);
        return await files.InTransaction(async () => await tickets.AddInteraction(ticketId, body, isInternal, notify, await Store(uploads, ct), ct), ct);
    }

    public async Task<(StoredFile File, Stream Content)> Open(long ticketId, long attachmentId, CancellationToken ct = default)
    {
        var file = await tickets.AttachmentFile(ticketId, attachmentId, ct);
        return (file, await files.Open(file, ct));
    }

    public async Task RemoveAttachment(long ticketId, long attachmentId, CancellationToken ct = default)
    {
        var key = await tickets.RemoveAttachment(ticketId, attachmentId, ct);
        await store.Delete(key, ct);
    }

    public async Task Purge(long ticketId, CancellationToken ct = default)
    {
        foreach (var key in await tickets.Purge(ticketId, ct))
        {
            await store.Delete(key, ct);
        }
    }

    private Task<List<long>> Store(IReadOnlyList<Upload> uploads, CancellationToken ct) => files.SaveAll(uploads, ct);
}
