using System.Formats.Tar;
using System.IO.Compression;
using Atende.Core.Files;
using Microsoft.Data.Sqlite;

namespace Atende.Web.Infrastructure;

/// <summary>
/// <c>backup --to FILE</c> and <c>restore --from FILE [--force]</c> for a SQLite installation (PostgreSQL: pg_dump, see
/// docs/operations.md). The backup is a <c>.tar.gz</c> holding <c>atende.db</c>, <c>keys/</c> (the data-protection keys, without
/// which saved passwords cannot be read) and <c>files/</c> (the <c>Disk</c> file store): one file, readable with plain
/// <c>tar</c>, that keeps file modes. It is taken while the app runs: the database through SQLite's online backup API (one
/// consistent snapshot, writers go on meanwhile), then the keys and files — every file the snapshot refers to was saved before its
/// row committed, so it is there. It is written to <c>FILE.partial</c> and renamed when complete, so a file with the final name is
/// always a whole backup.
/// </summary>
public static class Backup
{
    /// <summary>Why a command stops, shown as it is.</summary>
    private sealed class Refused(string message) : Exception(message);

    private sealed record Paths(string Data, string Database, string Keys, string? Files);

    public static async Task<int> Run(StartArgs args, IConfiguration config, string dataPath)
    {
        try
        {
            var paths = Resolve(config, dataPath);
            if (args.Command == StartArgs.Backup)
            {
                await Create(paths, args.To!);
            }
            else
            {
                await Restore(paths, args.From!, args.Force);
            }
            return 0;
        }
        catch (Refused e)
        {
            await Console.Error.WriteLineAsync($"{args.Command} failed: {e.Message}");
            return 1;
        }
    }

    private static Paths Resolve(IConfiguration config, string dataPath)
    {
        var provider = config["Atende:Database:Provider"] ?? "Sqlite";
        if (!provider.Equals("Sqlite", StringComparison.OrdinalIgnoreCase))
        {
            throw new Refused($"this command backs up SQLite; with Atende:Database:Provider={provider} use pg_dump / pg_restore and copy "
                + "the keys and files folders (docs/operations.md).");
        }
        var connectionString = config.GetConnectionString("Atende");
        var database = string.IsNullOrWhiteSpace(connectionString)
            ? Path.Combine(dataPath, "atende.db")
            : Path.GetFullPath(new SqliteConnectionStringBuilder(connectionString).DataSource);
        var store = config["Atende:Files:Store"] ?? "Disk";
        var files = store.Equals("Disk", StringComparison.OrdinalIgnoreCase)
            ? Path.GetFullPath(config["Atende:Files:Path"] ?? Path.Combine(dataPath, "files"))
            : null;
        return new Paths(dataPath, database, Path.Combine(dataPath, "keys"), files);
    }

    private static async Task Create(Paths paths, string to)
    {
        var target = Path.GetFullPath(to);
        if (File.Exists(target) || Directory.Exists(target))
        {
            throw new Refused($"{target} already exists; a backup never replaces another, choose a new name.");
        }
        if (!File.Exists(paths.Database))
        {
            throw new Refused($"no database at {paths.Database}: nothing to back up (is Atende__DataPath the app's?).");
        }
        // The target is opened before anything else, so a folder that is missing or not writable fails first.
        if (!Directory.Exists(Path.GetDirectoryName(target)))
        {
            throw new Refused($"cannot write the backup to {target}: the folder {Path.GetDirectoryName(target)} does not exist.");
        }
        var partial = target + ".partial";
        var snapshot = target + ".db.partial";
        FileStream output;
        try
        {
            output = new FileStream(partial, OwnerOnly.NewFile(FileAccess.Write, FileOptions.None, 1 << 16));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new Refused($"cannot write the backup to {target}: {e.Message}");
        }

        Console.WriteLine($"Backing up {paths.Database} to {target}");
        var done = false;
        try
        {
            CopyDatabase(paths.Database, snapshot);
            int keys = 0, files = 0;
            await using (output)
            {
                await using (var gzip = new GZipStream(output, CompressionLevel.Fastest, leaveOpen: true))
                await using (var tar = new TarWriter(gzip, TarEntryFormat.Pax, leaveOpen: true))
                {
                    await tar.WriteEntryAsync(snapshot, "atende.db");
                    if (Directory.Exists(paths.Keys))
                    {
                        foreach (var key in Directory.EnumerateFiles(paths.Keys, "*.xml"))
                        {
                            keys += await Add(tar, key, "keys/" + Path.GetFileName(key)) ? 1 : 0;
                        }
                    }
                    if (paths.Files is not null && Directory.Exists(paths.Files))
                    {
                        foreach (var file in Directory.EnumerateFiles(paths.Files, "*", SearchOption.AllDirectories))
                        {
                            var relative = Path.GetRelativePath(paths.Files, file).Replace(Path.DirectorySeparatorChar, '/');
                            // Uploads in progress (DiskFileStore's .tmp/) are no one's file yet.
                            if (!relative.StartsWith(".tmp/", StringComparison.Ordinal))
                            {
                                files += await Add(tar, file, "files/" + relative) ? 1 : 0;
                            }
                        }
                    }
                }
                output.Flush(flushToDisk: true);
            }
            File.Move(partial, target);
            done = true;
            Console.WriteLine($"Backup written: {target} ({new FileInfo(target).Length:N0} bytes; the database, {keys} key file(s), {files} uploaded file(s)).");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or SqliteException)
        {
            throw new Refused($"the backup to {target} stopped: {e.Message}");
        }
        finally
        {
            if (!done)
            {
                File.Delete(partial);
            }
            File.Delete(snapshot);
        }
    }

    /// <summary>SQLite's online backup: a consistent copy of the whole database while other connections read and write.</summary>
    private static void CopyDatabase(string database, string snapshot)
    {
        OwnerOnly.CreateEmptyFile(snapshot);
        using var source = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = database, Mode = SqliteOpenMode.ReadWrite, Pooling = false, DefaultTimeout = 60,
        }.ToString());
        using var copy = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = snapshot, Pooling = false }.ToString());
        source.Open();
        SQLitePCL.raw.sqlite3_busy_timeout(source.Handle, 60_000);
        copy.Open();
        source.BackupDatabase(copy);
        // One file, no -wal beside it: the app turns WAL on again when it opens the restored database.
        Execute(copy, "PRAGMA journal_mode=DELETE;");
        var check = Execute(copy, "PRAGMA quick_check;");
        if (check != "ok")
        {
            throw new Refused($"the copy of the database fails SQLite's check: {check}");
        }
    }

    private static string? Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar()?.ToString();
    }

    /// <summary>Adds a file; false when it was deleted since it was listed (its row went before it).</summary>
    private static async Task<bool> Add(TarWriter tar, string path, string name)
    {
        try
        {
            await tar.WriteEntryAsync(path, name);
            return true;
        }
        catch (FileNotFoundException)
        {
            return false;
        }
    }

    private static async Task Restore(Paths paths, string from, bool force)
    {
        var archive = Path.GetFullPath(from);
        FileStream input;
        try
        {
            input = new FileStream(archive, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new Refused($"cannot read {archive}: {e.Message}");
        }
        await using var _ = input;

        var occupied = new[] { paths.Data, paths.Files }.OfType<string>().Where(NotEmpty)
            .Concat(File.Exists(paths.Database) ? [paths.Database] : []).Distinct().ToList();
        if (occupied.Count > 0 && !force)
        {
            throw new Refused($"the data folder is not empty ({string.Join(", ", occupied)}). Restore into an empty one, or stop the app and "
                + "add --force to replace its database, keys and files.");
        }
        if (force)
        {
            foreach (var file in new[] { "", "-wal", "-shm", "-journal" }.Select(s => paths.Database + s))
            {
                File.Delete(file);
            }
            foreach (var folder in new[] { paths.Keys, paths.Files }.OfType<string>().Where(Directory.Exists))
            {
                Directory.Delete(folder, recursive: true);
            }
        }

        Console.WriteLine($"Restoring {archive} into {paths.Data}");
        OwnerOnly.CreateDirectory(paths.Data);
        OwnerOnly.CreateDirectory(Path.GetDirectoryName(paths.Database)!);
        OwnerOnly.CreateDirectory(paths.Keys);
        var restoring = paths.Database + ".restoring";
        File.Delete(restoring);
        int keys = 0, files = 0;
        var database = false;
        try
        {
            await using var gzip = new GZipStream(input, CompressionMode.Decompress);
            await using var tar = new TarReader(gzip);
            while (await tar.GetNextEntryAsync() is { } entry)
            {
                if (entry.EntryType == TarEntryType.Directory)
                {
                    continue;
                }
                if (entry.EntryType is not (TarEntryType.RegularFile or TarEntryType.V7RegularFile) || entry.DataStream is null)
                {
                    throw new Refused($"{entry.Name} is not a plain file: not an Atende backup.");
                }
                var destination = Destination(paths, entry.Name, restoring);
                OwnerOnly.CreateDirectory(Path.GetDirectoryName(destination)!);
                await using (var file = new FileStream(destination, OwnerOnly.NewFile(FileAccess.Write, FileOptions.None, 1 << 16)))
                {
                    await entry.DataStream.CopyToAsync(file);
                    file.Flush(flushToDisk: true);
                }
                database |= destination == restoring;
                keys += entry.Name.StartsWith("keys/", StringComparison.Ordinal) ? 1 : 0;
                files += entry.Name.StartsWith("files/", StringComparison.Ordinal) ? 1 : 0;
            }
            if (!database)
            {
                throw new Refused($"{archive} holds no atende.db: not an Atende backup.");
            }
            using (var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = restoring, Mode = SqliteOpenMode.ReadWrite, Pooling = false }.ToString()))
            {
                connection.Open();
                var check = Execute(connection, "PRAGMA integrity_check;");
                if (check != "ok")
                {
                    throw new Refused($"the database in {archive} fails SQLite's integrity check: {check}");
                }
            }
            File.Move(restoring, paths.Database);
        }
        catch (Exception e) when (e is IOException or InvalidDataException or FormatException or SqliteException)
        {
            throw new Refused($"{archive} cannot be restored: {e.Message} (what was written so far stays; run again with --force).");
        }
        finally
        {
            File.Delete(restoring);
        }
        Console.WriteLine($"Restored: {paths.Database}, {keys} key file(s), {files} uploaded file(s). Start the app as usual.");
    }

    private static bool NotEmpty(string folder) => Directory.Exists(folder) && Directory.EnumerateFileSystemEntries(folder).Any();

    /// <summary>Where an entry goes; only <c>atende.db</c>, <c>keys/NAME</c> and <c>files/…</c>, never outside their folder.</summary>
    private static string Destination(Paths paths, string name, string restoring)
    {
        if (name == "atende.db")
        {
            return restoring;
        }
        var (folder, relative) = name.StartsWith("keys/", StringComparison.Ordinal) ? (paths.Keys, name[5..])
            : name.StartsWith("files/", StringComparison.Ordinal) ? (paths.Files, name[6..])
            : (null, "");
        if (folder is null && name.StartsWith("files/", StringComparison.Ordinal))
        {
            throw new Refused("the backup holds uploaded files, but Atende:Files:Store is not Disk here.");
        }
        var segments = relative.Split('/');
        if (folder is null || segments.Any(s => s is "" or "." or ".." || s.Contains('\\')) || (folder == paths.Keys && segments.Length != 1))
        {
            throw new Refused($"{name}: not part of an Atende backup.");
        }
        var destination = Path.GetFullPath(Path.Combine([folder, .. segments]));
        if (!destination.StartsWith(Path.GetFullPath(folder) + Path.DirectorySeparatorChar, StringComparison.Ordinal))
        {
            throw new Refused($"{name}: not part of an Atende backup.");
        }
        return destination;
    }
}
