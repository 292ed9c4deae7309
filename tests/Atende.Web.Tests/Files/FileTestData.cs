using System.Text;
using Atende.Core.Data;
using Atende.Core.Files;
using Atende.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Atende.Web.Tests.Files;

/// <summary>One app per provider and file store (Atende:Files:Store), set up with an admin.</summary>
public abstract class FilesFixture(string provider, string store) : AppFixture(provider, new() { ["Atende:Files:Store"] = store })
{
    public string Store => store;
}

public sealed class SqliteDiskFiles() : FilesFixture("Sqlite", "Disk");
public sealed class SqliteDatabaseFiles() : FilesFixture("Sqlite", "Database");
public sealed class PostgresDiskFiles() : FilesFixture("Postgres", "Disk");
public sealed class PostgresDatabaseFiles() : FilesFixture("Postgres", "Database");

internal static class FileTestData
{
    public static byte[] Random(int length, int seed = 1)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    public static byte[] With(byte[] prefix, int length = 2048, int seed = 1) => [.. prefix, .. Random(length, seed)];

    public static byte[] Ascii(string text) => Encoding.ASCII.GetBytes(text);
    public static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);

    public static readonly byte[] PdfHead = Ascii("%PDF-1.7\n%âãÏÓ\n");
    public static readonly byte[] PngHead = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52];
    public static readonly byte[] JpegHead = [0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10, 0x4A, 0x46, 0x49, 0x46, 0x00];
    public static readonly byte[] GifHead = Ascii("GIF89a");
    public static readonly byte[] WebpHead = [.. Ascii("RIFF"), 0x24, 0x08, 0, 0, .. Ascii("WEBPVP8 ")];
    public static readonly byte[] ZipHead = [0x50, 0x4B, 0x03, 0x04, 0x14, 0x00, 0x06, 0x00];
    public static readonly byte[] OleHead = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
    public static readonly byte[] Mp4Head = [0, 0, 0, 0x20, .. Ascii("ftypisom"), 0, 0, 2, 0];
    public static readonly byte[] M4aHead = [0, 0, 0, 0x20, .. Ascii("ftypM4A "), 0, 0, 2, 0];
    public static readonly byte[] Id3Head = Ascii("ID3\x04\0\0\0\0\0\0");
    public static readonly byte[] Mp3FrameHead = [0xFF, 0xFB, 0x90, 0x64];
    public static readonly byte[] OggHead = Ascii("OggS\0\x02");
    public static readonly byte[] PeHead = [.. Ascii("MZ"), 0x90, 0, 3, 0, 0, 0, 4, 0, 0, 0, 0xFF, 0xFF];
    public static readonly byte[] ElfHead = [0x7F, .. Ascii("ELF"), 2, 1, 1, 0];

    public const string Svg = "<?xml version=\"1.0\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\" onload=\"alert(1)\"><circle r=\"5\"/></svg>";
    public const string NfeXml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><nfeProc xmlns=\"http://www.portalfiscal.inf.br/nfe\" versao=\"4.00\"><NFe><infNFe Id=\"NFe35\"/></NFe></nfeProc>";

    /// <summary>Everything under the store: files on disk (temporary ones included) or FileBlobs rows.</summary>
    public static async Task<int> StoredBytesCount(IServiceProvider services)
    {
        var store = services.GetRequiredService<IFileStore>();
        if (store is DiskFileStore disk)
        {
            return Directory.Exists(disk.Root) ? Directory.EnumerateFiles(disk.Root, "*", SearchOption.AllDirectories).Count() : 0;
        }
        return await services.GetRequiredService<AtendeDb>().FileBlobs.CountAsync(TestContext.Current.CancellationToken);
    }
}

/// <summary>An upload that is generated as it is read (never in memory), cannot seek, and counts what was read.</summary>
internal sealed class GeneratedStream(byte[] prefix, long length) : Stream
{
    public long BytesRead { get; private set; }

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => BytesRead; set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count)
    {
        var n = (int)Math.Min(count, length - BytesRead);
        for (var i = 0; i < n; i++)
        {
            var position = BytesRead + i;
            buffer[offset + i] = position < prefix.Length ? prefix[position] : (byte)'a';
        }
        BytesRead += n;
        return n;
    }

    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
