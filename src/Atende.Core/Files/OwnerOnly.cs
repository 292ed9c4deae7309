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

    /// <summary>Creates <paramref name="path"/> (and missing parents) with mode 0700.</summary>
    public static DirectoryInfo CreateDirectory(string path) =>
        OperatingSystem.IsWindows() ? Directory.CreateDirectory(path) : Directory.CreateDirectory(path, DirectoryMode);

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
