namespace Atende.Core.Files;

/// <summary>An uploaded file's metadata; its bytes live in an <c>IFileStore</c> under <see cref="StorageKey"/>.</summary>
public class StoredFile
{
    public long Id { get; set; }
    /// <summary>The name the user gave it (cleaned), shown and used in Content-Disposition; never a path on disk.</summary>
    public string FileName { get; set; } = "";
    /// <summary>The content type established by the upload check, not the one the browser claimed.</summary>
    public string ContentType { get; set; } = "application/octet-stream";
    public long Size { get; set; }
    /// <summary>Generated name under which the store keeps the bytes.</summary>
    public string StorageKey { get; set; } = "";
    public string Sha256 { get; set; } = "";
    public DateTimeOffset CreatedAt { get; set; }
    public long? CreatedById { get; set; }
}

/// <summary>File bytes kept in the database (the database file store, for several nodes without a shared disk).</summary>
public class FileBlob
{
    public string Key { get; set; } = "";
    public byte[] Content { get; set; } = [];
}
