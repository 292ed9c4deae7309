using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Atende.Core.Common;
using Atende.Core.Data;
using Atende.Core.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace Atende.Core.Files;

/// <summary>Upload limits, from <c>Atende:Files:MaxBytes</c> and <c>Atende:Files:MaxRequestBytes</c>.</summary>
public sealed class FileLimits
{
    public const long DefaultMaxBytes = 25 * 1024 * 1024;

    /// <summary>Largest file accepted (default 25 MB).</summary>
    public long MaxBytes { get; init; } = DefaultMaxBytes;

    /// <summary>Largest multipart request body a signed-in user may send (several files; default 4 × MaxBytes + 1 MB).</summary>
    public long MaxRequestBytes { get; init; } = DefaultRequestBytes(DefaultMaxBytes);

    public static long DefaultRequestBytes(long maxBytes) => (4 * maxBytes) + (1024 * 1024);
}

/// <summary>
/// Uploaded files: checks them (size, name, allowed type, content matching the type), keeps their bytes in the
/// <see cref="IFileStore"/> and their metadata in <see cref="StoredFile"/> rows. It does not authorize: features
/// (ticket and conversation attachments) load a <see cref="StoredFile"/> through their own scoped queries, never by an id
/// taken from a request, and decide who may upload.
/// </summary>
public sealed class FileService(AtendeDb db, IFileStore store, FileLimits limits, Caller? caller = null, ILogger<FileService>? log = null)
{
    /// <summary>Keys saved inside the running <see cref="InTransaction{T}"/>, whose bytes go if it does not commit.</summary>
    private List<string>? _savedInTransaction;

    public const string Field = "file";
    public const string DefaultName = "arquivo";
    public const int MaxNameLength = 255;

    public FileLimits Limits => limits;

    /// <summary>
    /// Checks and stores an upload; returns its saved row. Refusals are a <see cref="ValidationException"/> on
    /// <c>"file"</c> naming the file and the rule, and leave nothing behind. The bytes are written before the row is
    /// saved (SaveChanges on the request's context: call this inside your transaction, or before staging other changes),
    /// so a row never points to missing bytes; if saving the row fails the bytes are deleted. A crash between the two
    /// can leave bytes without a row (never the reverse).
    /// </summary>
    public async Task<StoredFile> Save(string fileName, Stream content, CancellationToken ct)
    {
        var name = CleanFileName(fileName);
        var extension = ExtensionOf(name);
        if (extension is null)
        {
            throw Refused($"O arquivo \"{name}\" não tem extensão. Tipos aceitos: {FileTypes.AcceptedSummary}.");
        }
        var type = FileTypes.For(extension)
            ?? throw Refused($"O arquivo \"{name}\" não pode ser enviado: o tipo .{extension.ToLowerInvariant()} não é permitido. Tipos aceitos: {FileTypes.AcceptedSummary}.");
        if (content.CanSeek && content.Length - content.Position > limits.MaxBytes)
        {
            throw TooLarge(name);
        }

        // Never read more than MaxBytes + 1 bytes: the one extra byte proves the file is too large.
        var head = new byte[(int)Math.Min(FileTypes.SniffLength, limits.MaxBytes + 1)];
        var headLength = await content.ReadAtLeastAsync(head, head.Length, throwOnEndOfStream: false, ct);
        if (headLength > limits.MaxBytes)
        {
            throw TooLarge(name);
        }
        if (headLength == 0)
        {
            throw Refused($"O arquivo \"{name}\" está vazio.");
        }
        if (FileTypes.Problem(type, head.AsSpan(0, headLength)) is { } problem)
        {
            throw Refused($"O arquivo \"{name}\" foi recusado: {problem}.");
        }

        var key = StorageKeys.New();
        using var checkedContent = new CheckedStream(head.AsMemory(0, headLength), content, limits.MaxBytes, () => TooLarge(name));
        await store.Save(key, checkedContent, ct);

        var file = new StoredFile
        {
            FileName = name,
            ContentType = type.ContentType,
            Size = checkedContent.Length,
            StorageKey = key,
            Sha256 = checkedContent.Sha256(),
            CreatedAt = Clock.Now(),
            CreatedById = caller?.UserId,
        };
        db.StoredFiles.Add(file);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch
        {
            db.Entry(file).State = EntityState.Detached;
            await TryDeleteBytes(key);
            throw;
        }
        _savedInTransaction?.Add(key);
        return file;
    }

    /// <summary>Stores each upload (<see cref="Save"/>) and answers their ids, in order.</summary>
    public async Task<List<long>> SaveAll(IReadOnlyList<Tickets.Upload> uploads, CancellationToken ct)
    {
        var ids = new List<long>();
        foreach (var upload in uploads)
        {
            ids.Add((await Save(upload.FileName, upload.Content, ct)).Id);
        }
        return ids;
    }

    /// <summary>
    /// Runs <paramref name="change"/> in a transaction (its own, or the caller's: see <see cref="UnitOfWork"/>) and commits it.
    /// The bytes of every file <see cref="Save"/> stored meanwhile are deleted when it does not commit (a refusal, a stale
    /// version, a database error, a unique-key conflict…): the rows rolled back, so nothing would ever reach those bytes.
    /// The deletion is best effort (logged when it fails) and the original error is rethrown. Use it for every change that
    /// stores files and then refers to them.
    /// </summary>
    public async Task<T> InTransaction<T>(Func<Task<T>> change, CancellationToken ct)
    {
        if (_savedInTransaction is not null)
        {
            // Nested: the outer call deletes what was stored if it does not commit.
            return await change();
        }
        var saved = _savedInTransaction = [];
        var committed = false;
        try
        {
            // Disposed (rolled back) before the bytes are deleted: the database store's delete then runs outside the failed transaction.
            await using var tx = await UnitOfWork.Begin(db.Database, ct);
            var result = await change();
            await tx.Commit(ct);
            committed = true;
            return result;
        }
        finally
        {
            _savedInTransaction = null;
            if (!committed)
            {
                foreach (var key in saved)
                {
                    await TryDeleteBytes(key);
                }
            }
        }
    }

    /// <summary>The file's bytes (seekable); <see cref="NotFoundException"/> when the store no longer has them.</summary>
    public async Task<Stream> Open(StoredFile file, CancellationToken ct) =>
        await store.Open(file.StorageKey, ct) ?? throw new NotFoundException($"O conteúdo do arquivo \"{file.FileName}\" não foi encontrado.");

    /// <summary>
    /// Deletes the row, then the bytes (a crash in between leaves bytes without a row, never a row without bytes).
    /// Fails while something still refers to the file (e.g. a ticket attachment). Inside a transaction that later
    /// rolls back, the disk store's bytes are already gone: call it after the other changes are saved.
    /// </summary>
    public async Task Delete(StoredFile file, CancellationToken ct)
    {
        var entry = db.ChangeTracker.Entries<StoredFile>().FirstOrDefault(e => e.Entity.Id == file.Id);
        await db.StoredFiles.Where(f => f.Id == file.Id).ExecuteDeleteAsync(ct);
        if (entry is not null)
        {
            entry.State = EntityState.Detached;
        }
        await store.Delete(file.StorageKey, ct);
    }

    /// <summary>True only for PNG, JPEG, GIF and WebP files whose bytes proved it at upload (never SVG).</summary>
    public static bool IsPreviewableImage(StoredFile file) => FileTypes.PreviewableImages.Contains(file.ContentType);

    /// <summary>
    /// The name as shown and sent back in downloads: no path (after the last / or \), no control or invisible
    /// formatting characters (e.g. right-to-left override), white space as single spaces, trimmed, NFC, at most 255 characters keeping the
    /// extension; "arquivo" when nothing is left.
    /// </summary>
    public static string CleanFileName(string? fileName)
    {
        var text = fileName ?? "";
        var lastSeparator = text.LastIndexOfAny(['/', '\\']);
        if (lastSeparator >= 0)
        {
            text = text[(lastSeparator + 1)..];
        }
        var builder = new StringBuilder(text.Length);
        foreach (var rune in text.EnumerateRunes())
        {
            if (Rune.IsWhiteSpace(rune))
            {
                if (builder.Length > 0 && builder[^1] != ' ')
                {
                    builder.Append(' ');
                }
                continue;
            }
            // Invalid UTF-16 (a lone surrogate) comes out as U+FFFD: drop it too.
            if (rune == Rune.ReplacementChar || Rune.GetUnicodeCategory(rune) is UnicodeCategory.Control or UnicodeCategory.Format
                or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator or UnicodeCategory.Surrogate or UnicodeCategory.PrivateUse)
            {
                continue;
            }
            builder.Append(rune.ToString());
        }
        text = builder.ToString().Normalize(NormalizationForm.FormC).Trim().TrimEnd('.', ' ');
        if (text.Length == 0)
        {
            return DefaultName;
        }
        var dot = text.LastIndexOf('.');
        var extension = dot >= 0 && ExtensionOf(text) is not null ? text[dot..] : "";
        var stem = text[..^extension.Length].Trim();
        if (stem.Length == 0)
        {
            stem = DefaultName;
        }
        if (stem.Length + extension.Length > MaxNameLength)
        {
            var cut = MaxNameLength - extension.Length;
            if (char.IsHighSurrogate(stem[cut - 1]))
            {
                cut--;
            }
            stem = stem[..cut].TrimEnd();
        }
        return stem + extension;
    }

    /// <summary>The extension (without the dot, as written) when the name ends with one of 1–10 letters or digits; else null.</summary>
    public static string? ExtensionOf(string name)
    {
        var dot = name.LastIndexOf('.');
        if (dot < 0 || dot == name.Length - 1)
        {
            return null;
        }
        var extension = name[(dot + 1)..];
        return extension.Length <= 10 && extension.All(char.IsAsciiLetterOrDigit) ? extension : null;
    }

    /// <summary>A size as people read it in pt-BR: "850 bytes", "12 KB", "1,2 MB" (binary units, as the limit).</summary>
    public static string FormatSize(long bytes)
    {
        var pt = CultureInfo.GetCultureInfo("pt-BR");
        return bytes switch
        {
            1 => "1 byte",
            < 1024 => string.Format(pt, "{0} bytes", bytes),
            < 1024 * 1024 => string.Format(pt, "{0:0.#} KB", bytes / 1024d),
            < 1024L * 1024 * 1024 => string.Format(pt, "{0:0.#} MB", bytes / (1024d * 1024)),
            _ => string.Format(pt, "{0:0.#} GB", bytes / (1024d * 1024 * 1024)),
        };
    }

    private ValidationException TooLarge(string name) =>
        Refused($"O arquivo \"{name}\" é maior que o limite de {FormatSize(limits.MaxBytes)}.");

    private static ValidationException Refused(string message) => new(Field, message);

    /// <summary>Deletes bytes no row refers to. Best effort: a failure is logged, never thrown over the error being handled.</summary>
    private async Task TryDeleteBytes(string key)
    {
        try
        {
            await store.Delete(key, CancellationToken.None);
        }
        catch (Exception e)
        {
            // E.g. the database store inside a failed transaction: its rollback removes the bytes anyway.
            log?.LogWarning(e, "The bytes of the unsaved file {StorageKey} could not be deleted.", key);
        }
    }

    /// <summary>
    /// Replays the bytes already read, then the rest of the upload, hashing and counting as it goes; throws the
    /// size refusal as soon as one byte more than the limit is read (it never asks the source for more than that).
    /// </summary>
    private sealed class CheckedStream(ReadOnlyMemory<byte> head, Stream source, long maxBytes, Func<Exception> tooLarge) : Stream
    {
        private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        private ReadOnlyMemory<byte> _head = head;
        private long _length;

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => _length;
        public override long Position { get => _length; set => throw new NotSupportedException(); }

        public string Sha256() => Convert.ToHexStringLower(_hash.GetCurrentHash());

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            int read;
            if (!_head.IsEmpty)
            {
                read = Math.Min(buffer.Length, _head.Length);
                _head[..read].CopyTo(buffer);
                _head = _head[read..];
            }
            else
            {
                var allowed = (int)Math.Min(buffer.Length, maxBytes + 1 - _length);
                read = await source.ReadAsync(buffer[..allowed], cancellationToken);
            }
            _length += read;
            if (_length > maxBytes)
            {
                throw tooLarge();
            }
            _hash.AppendData(buffer.Span[..read]);
            return read;
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer, offset, count, CancellationToken.None).GetAwaiter().GetResult();

        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                _hash.Dispose();
            }
            base.Dispose(disposing);
        }
    }
}
