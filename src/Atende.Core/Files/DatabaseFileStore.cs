using Atende.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace Atende.Core.Files;

/// <summary>
/// Files as rows of <c>FileBlobs</c>, for several nodes without a shared disk (meant for PostgreSQL; works on SQLite).
/// A file is held in memory while it is saved or served, which the upload limit keeps small.
/// <see cref="Save"/> calls SaveChanges on the request's <see cref="AtendeDb"/>: inside the caller's transaction
/// the bytes commit or roll back with it.
/// </summary>
public sealed class DatabaseFileStore(AtendeDb db) : IFileStore
{
    public async Task Save(string key, Stream content, CancellationToken ct)
    {
        StorageKeys.Require(key);
        using var buffer = new MemoryStream();
        await content.CopyToAsync(buffer, ct);
        var blob = new FileBlob { Key = key, Content = buffer.ToArray() };
        db.FileBlobs.Add(blob);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        finally
        {
            // Never keep the bytes tracked (memory) or retry them on the next SaveChanges.
            db.Entry(blob).State = EntityState.Detached;
        }
    }

    public async Task<Stream?> Open(string key, CancellationToken ct)
    {
        StorageKeys.Require(key);
        var content = await db.FileBlobs.AsNoTracking().Where(b => b.Key == key).Select(b => b.Content).FirstOrDefaultAsync(ct);
        return content is null ? null : new MemoryStream(content, writable: false);
    }

    public async Task Delete(string key, CancellationToken ct)
    {
        StorageKeys.Require(key);
        await db.FileBlobs.Where(b => b.Key == key).ExecuteDeleteAsync(ct);
    }
}
