using Atende.Core.Files;
using Atende.Core.Tickets;

namespace Atende.Core.Conversations;

/// <summary>
/// Conversations with files: uploads are checked and stored, then attached, in the conversation's own transaction
/// (a refused save leaves no bytes behind: <see cref="FileService.InTransaction{T}"/>); removing a file or deleting a pending conversation deletes the bytes after
/// the rows are gone. A concluded conversation's files never change.
/// </summary>
public sealed class ConversationFiles(ConversationService conversations, FileService files, IFileStore store)
{
    /// <summary>Creates (<paramref name="id"/> null) or updates a conversation with new files, optionally concluding it.</summary>
    public async Task<Conversation> Save(long? id, int version, ConversationInput input, bool conclude, IReadOnlyList<Upload> uploads, CancellationToken ct = default)
    {
        if (id is { } existing && uploads.Count > 0)
        {
            // No bytes are stored for a conversation that cannot take them.
            ConversationService.RequirePending(await conversations.Get(existing, ct));
        }
        return await WithUploads(uploads, fileIds => id is { } editId
            ? conversations.Update(editId, version, input, conclude, ct, fileIds)
            : conversations.Create(input, conclude, ct, fileIds), ct);
    }

    /// <summary>Adds files to a pending conversation; returns the new attachments' ids.</summary>
    public async Task<List<long>> Attach(long conversationId, IReadOnlyList<Upload> uploads, CancellationToken ct = default)
    {
        if (uploads.Count == 0)
        {
            throw new Common.ValidationException("file", "Escolha ao menos um arquivo.");
        }
        ConversationService.RequirePending(await conversations.Get(conversationId, ct));
        return await WithUploads(uploads, fileIds => conversations.Attach(conversationId, fileIds, ct), ct);
    }

    public async Task RemoveAttachment(long conversationId, long attachmentId, CancellationToken ct = default) =>
        await store.Delete(await conversations.RemoveAttachment(conversationId, attachmentId, ct), ct);

    /// <summary>Deletes a pending conversation and its files.</summary>
    public async Task Delete(long conversationId, CancellationToken ct = default)
    {
        foreach (var key in await conversations.Delete(conversationId, ct))
        {
            await store.Delete(key, ct);
        }
    }

    private async Task<T> WithUploads<T>(IReadOnlyList<Upload> uploads, Func<IReadOnlyCollection<long>, Task<T>> save, CancellationToken ct) =>
        await files.InTransaction(async () =>
        {
            var fileIds = new List<long>();
            foreach (var upload in uploads)
            {
                fileIds.Add((await files.Save(upload.FileName, upload.Content, ct)).Id);
            }
            return await save(fileIds);
        }, ct);
}
