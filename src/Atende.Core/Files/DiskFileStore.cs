namespace Atende.Core.Files;

/// <summary>
/// Files on the local disk (or a shared mount) under <see cref="Root"/>, sharded by the key's first characters:
/// <c>ab/cd/abcd…</c>. Bytes are written to <c>.tmp/</c> under the root, flushed to disk, then moved under the key,
/// so a crash never leaves a partial file under a real key (only a stray temporary file, removed after a day). Folders are
/// created with mode 0700 and files with 0600 (<see cref="OwnerOnly"/>).
/// </summary>
public sealed class DiskFileStore : IFileStore
{
    private const string TempFolder = ".tmp";
    private const int BufferSize = 81920;

    public DiskFileStore(string root)
    {
        Root = Path.GetFullPath(root);
        OwnerOnly.CreateDirectory(Root);
        DeleteStaleTemporaryFiles(TimeSpan.FromDays(1));
    }

    public string Root { get; }

    /// <summary>The file that holds (or would hold) <paramref name="key"/>.</summary>
    public string PathFor(string key)
    {
        StorageKeys.Require(key);
        return Path.Combine(Root, key[..2], key[2..4], key);
    }

    public async Task Save(string key, Stream content, CancellationToken ct)
    {
        var target = PathFor(key);
        var tempDirectory = Path.Combine(Root, TempFolder);
        OwnerOnly.CreateDirectory(tempDirectory);
        var temp = Path.Combine(tempDirectory, $"{key}.{Guid.NewGuid():N}.part");
        try
        {
            await using (var file = new FileStream(temp, OwnerOnly.NewFile(FileAccess.Write, FileOptions.Asynchronous, BufferSize)))
            {
                await content.CopyToAsync(file, BufferSize, ct);
                await file.FlushAsync(ct);
                file.Flush(flushToDisk: true);
            }
            OwnerOnly.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Move(temp, target, overwrite: false);
        }
        catch
        {
            TryDelete(temp);
            throw;
        }
    }

    public Task<Stream?> Open(string key, CancellationToken ct)
    {
        try
        {
            Stream stream = new FileStream(PathFor(key), FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, BufferSize,
                FileOptions.Asynchronous | FileOptions.SequentialScan);
            return Task.FromResult<Stream?>(stream);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return Task.FromResult<Stream?>(null);
        }
    }

    public Task Delete(string key, CancellationToken ct)
    {
        try
        {
            File.Delete(PathFor(key));
        }
        catch (DirectoryNotFoundException)
        {
        }
        return Task.CompletedTask;
    }

    /// <summary>Removes temporary files left by a crash in the middle of a save. Best effort: errors are ignored.</summary>
    public int DeleteStaleTemporaryFiles(TimeSpan olderThan)
    {
        var directory = new DirectoryInfo(Path.Combine(Root, TempFolder));
        if (!directory.Exists)
        {
            return 0;
        }
        var deleted = 0;
        var limit = DateTime.UtcNow - olderThan;
        foreach (var file in directory.EnumerateFiles("*.part"))
        {
            if (file.LastWriteTimeUtc < limit && TryDelete(file.FullName))
            {
                deleted++;
            }
        }
        return deleted;
    }

    private static bool TryDelete(string path)
    {
        try
        {
            File.Delete(path);
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }
}
