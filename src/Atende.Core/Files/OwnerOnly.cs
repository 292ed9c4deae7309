namespace Atende.Core.Files;

/// <summary>
/// Creates the data folder's directories and files readable by the app's own user only (0700 / 0600 on Unix): the database,
/// the data-protection keys and the uploaded files are nobody else's business on a shared machine. Existing paths keep
/// their mode (an administrator may have chosen another on purpose). On Windows the folder's inherited ACL applies.
/// </summary>
public static class OwnerOnly
{
    public const UnixFileMode DirectoryMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    public const UnixFileMode FileMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    /// <summary>Creates <paramref name="path"/> and its missing parents, each with mode 0700.</summary>
    public static DirectoryInfo CreateDirectory(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            return Directory.CreateDirectory(path);
        }
        // Directory.CreateDirectory(path, mode) gives the mode to the last folder only; its new parents get the umask's.
        var missing = new Stack<string>();
        for (var folder = Path.GetFullPath(path); folder is not null && !Directory.Exists(folder); folder = Path.GetDirectoryName(folder))
        {
            missing.Push(folder);
        }
        while (missing.TryPop(out var folder))
        {
            Directory.CreateDirectory(folder, DirectoryMode);
        }
        return new DirectoryInfo(path);
    }

    /// <summary>Options for a new file, created with mode 0600.</summary>
    public static FileStreamOptions NewFile(FileAccess access = FileAccess.Write, FileOptions options = FileOptions.None, int bufferSize = 4096)
    {
        var stream = new FileStreamOptions
        {
            Mode = System.IO.FileMode.CreateNew,
            Access = access,
            Share = FileShare.None,
            Options = options,
            BufferSize = bufferSize,
        };
        if (!OperatingSystem.IsWindows())
        {
            stream.UnixCreateMode = FileMode;
        }
        return stream;
    }

    /// <summary>Creates an empty file with mode 0600 unless it exists (SQLite takes an empty file as a new database).</summary>
    public static void CreateEmptyFile(string path)
    {
        if (File.Exists(path))
        {
            return;
        }
        try
        {
            using var _ = new FileStream(path, NewFile());
        }
        catch (IOException) when (File.Exists(path))
        {
            // Created by another process meanwhile.
        }
    }

    /// <summary>Sets mode 0600 on an existing file (for files written by code that takes no mode).</summary>
    public static void Restrict(string path)
    {
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, FileMode);
        }
    }
}
