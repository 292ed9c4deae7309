using System.Security.Cryptography;
using Atende.Core.Common;
using Atende.Core.Data;
using Atende.Core.Files;
using Atende.Core.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static Atende.Web.Tests.Files.FileTestData;

namespace Atende.Web.Tests.Files;

/// <summary>FileService through the app's own registrations, on each database and each file store.</summary>
public abstract class FileServiceTests(FilesFixture fixture)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private IServiceScope Scope() => fixture.App.Services.CreateScope();

    private static async Task<StoredFile> Save(IServiceScope scope, string name, byte[] content) =>
        await scope.ServiceProvider.GetRequiredService<FileService>().Save(name, new MemoryStream(content), Ct);

    private static async Task<byte[]> Read(IServiceScope scope, StoredFile file)
    {
        await using var stream = await scope.ServiceProvider.GetRequiredService<FileService>().Open(file, Ct);
        using var copy = new MemoryStream();
        await stream.CopyToAsync(copy, Ct);
        return copy.ToArray();
    }

    /// <summary>Runs a save that must be refused: returns the message on "file" and checks nothing was stored.</summary>
    private async Task<string> Refused(string name, Stream content, FileService? service = null)
    {
        using var scope = Scope();
        var db = scope.ServiceProvider.GetRequiredService<AtendeDb>();
        var rows = await db.StoredFiles.CountAsync(Ct);
        var bytes = await StoredBytesCount(scope.ServiceProvider);
        var files = service ?? scope.ServiceProvider.GetRequiredService<FileService>();
        var error = await Assert.ThrowsAsync<ValidationException>(() => files.Save(name, content, Ct));
        Assert.Equal(rows, await db.StoredFiles.CountAsync(Ct));
        Assert.Equal(bytes, await StoredBytesCount(scope.ServiceProvider));
        return Assert.Single(error.Errors["file"]);
    }

    private Task<string> Refused(string name, byte[] content) => Refused(name, new MemoryStream(content));

    [Fact]
    public async Task Round_trip_keeps_the_bytes_and_their_sha256_in_the_configured_store()
    {
        using var scope = Scope();
        var store = scope.ServiceProvider.GetRequiredService<IFileStore>();
        Assert.IsType(fixture.Store == "Disk" ? typeof(DiskFileStore) : typeof(DatabaseFileStore), store);
        var content = With(PdfHead, 300_000);

        var file = await Save(scope, "Contrato de serviço.pdf", content);

        Assert.True(file.Id > 0);
        Assert.Equal("Contrato de serviço.pdf", file.FileName);
        Assert.Equal("application/pdf", file.ContentType);
        Assert.Equal(content.Length, file.Size);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(content)), file.Sha256);
        Assert.Matches("^[0-9a-f]{32}$", file.StorageKey);
        Assert.InRange(file.CreatedAt, DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow.AddMinutes(1));

        using var other = Scope();
        var row = await other.ServiceProvider.GetRequiredService<AtendeDb>().StoredFiles.SingleAsync(f => f.Id == file.Id, Ct);
        Assert.Equal(file.Sha256, row.Sha256);
        Assert.Equal(content, await Read(other, row));
        if (store is DiskFileStore disk)
        {
            var path = disk.PathFor(file.StorageKey);
            Assert.Equal(Path.Combine(disk.Root, file.StorageKey[..2], file.StorageKey[2..4], file.StorageKey), path);
            Assert.Equal(content, await File.ReadAllBytesAsync(path, Ct));
        }
        else
        {
            var blob = await other.ServiceProvider.GetRequiredService<AtendeDb>().FileBlobs.SingleAsync(b => b.Key == file.StorageKey, Ct);
            Assert.Equal(content, blob.Content);
        }
    }

    [Fact]
    public async Task Delete_removes_the_row_and_the_bytes()
    {
        using var scope = Scope();
        var file = await Save(scope, "planilha.csv", Utf8("nome;valor\nAçúcar;10,50\n"));
        var bytes = await StoredBytesCount(scope.ServiceProvider);
        var files = scope.ServiceProvider.GetRequiredService<FileService>();

        await files.Delete(file, Ct);

        Assert.False(await scope.ServiceProvider.GetRequiredService<AtendeDb>().StoredFiles.AnyAsync(f => f.Id == file.Id, Ct));
        Assert.Equal(bytes - 1, await StoredBytesCount(scope.ServiceProvider));
        var missing = await Assert.ThrowsAsync<NotFoundException>(() => files.Open(file, Ct));
        Assert.Contains("planilha.csv", missing.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_file_over_25_MB_is_refused_while_streaming_and_nothing_is_stored()
    {
        using var scope = Scope();
        Assert.Equal(26_214_400, scope.ServiceProvider.GetRequiredService<FileLimits>().MaxBytes);
        var upload = new GeneratedStream(PdfHead, 26 * 1024 * 1024 + 10);

        var message = await Refused("escaneado.pdf", upload);

        Assert.Equal("O arquivo \"escaneado.pdf\" é maior que o limite de 25 MB.", message);
        Assert.True(upload.BytesRead <= 26_214_401, $"read {upload.BytesRead} bytes, more than the limit + 1");
    }

    [Fact]
    public async Task The_limit_is_inclusive_and_comes_from_the_limits()
    {
        using var scope = Scope();
        var small = new FileService(scope.ServiceProvider.GetRequiredService<AtendeDb>(), scope.ServiceProvider.GetRequiredService<IFileStore>(),
            new FileLimits { MaxBytes = 10_000 });

        var exact = await small.Save("exato.pdf", new GeneratedStream(PdfHead, 10_000), Ct);
        Assert.Equal(10_000, exact.Size);

        var upload = new GeneratedStream(PdfHead, 10_001);
        var message = await Refused("grande.pdf", upload, small);
        Assert.Equal("O arquivo \"grande.pdf\" é maior que o limite de 9,8 KB.", message);
        Assert.Equal(10_001, upload.BytesRead);
        // A seekable upload is refused by its length before anything is read.
        var seekable = new MemoryStream(With(PdfHead, 20_000));
        await Refused("grande.pdf", seekable, small);
        Assert.Equal(0, seekable.Position);
    }

    [Theory]
    [InlineData("setup.exe")]
    [InlineData("instalar.msi")]
    [InlineData("script.bat")]
    [InlineData("script.cmd")]
    [InlineData("script.ps1")]
    [InlineData("script.vbs")]
    [InlineData("app.js")]
    [InlineData("pagina.html")]
    [InlineData("pagina.htm")]
    [InlineData("logo.svg")]
    [InlineData("atalho.lnk")]
    [InlineData("tela.scr")]
    [InlineData("app.jar")]
    [InlineData("app.apk")]
    [InlineData("index.php")]
    [InlineData("rodar.sh")]
    public async Task Executables_scripts_html_and_svg_are_refused_by_extension(string name)
    {
        var extension = name[(name.LastIndexOf('.') + 1)..];
        var message = await Refused(name, With(PeHead));
        Assert.StartsWith($"O arquivo \"{name}\" não pode ser enviado: o tipo .{extension} não é permitido.", message, StringComparison.Ordinal);
        Assert.Contains("Tipos aceitos: PDF", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_name_without_an_extension_is_refused()
    {
        Assert.StartsWith("O arquivo \"LEIAME\" não tem extensão.", await Refused("LEIAME", Utf8("texto")), StringComparison.Ordinal);
        Assert.StartsWith("O arquivo \"arquivo\" não tem extensão.", await Refused("  ", Utf8("texto")), StringComparison.Ordinal);
    }

    public static TheoryData<string, byte[], string> Disguised => new()
    {
        { "fatura.pdf", With(PeHead), "não é um arquivo PDF válido" },
        { "foto.png", With(ElfHead), "não é um arquivo PNG válido" },
        { "foto.jpg", With(PngHead), "não é um arquivo JPEG válido" },
        { "foto.gif", Utf8("<html><body>oi</body></html>"), "não é um arquivo GIF válido" },
        { "foto.webp", With([.. Ascii("RIFF"), 0, 0, 0, 0, .. Ascii("WAVEfmt ")]), "não é um arquivo WebP válido" },
        { "logo.png", Utf8(Svg), "não é um arquivo PNG válido" },
        { "proposta.docx", With(PeHead), "não é um arquivo Word (DOCX) válido" },
        { "planilha.xls", With(ZipHead), "não é um arquivo Excel (XLS) válido" },
        { "email.msg", With(PdfHead), "não é um arquivo e-mail do Outlook (MSG) válido" },
        { "audio.mp3", With(ElfHead), "não é um arquivo MP3 válido" },
        { "audio.ogg", With(Id3Head), "não é um arquivo OGG válido" },
        { "video.mp4", With(PeHead), "não é um arquivo MP4 válido" },
        { "texto.rtf", Utf8("Olá, isto não é RTF"), "não é um arquivo RTF válido" },
        { "nota.txt", Utf8("<!DOCTYPE html><html><script>alert(1)</script></html>"), "página HTML ou SVG, que não é permitida" },
        { "nota.txt", [0xEF, 0xBB, 0xBF, .. Utf8("  \r\n\t<HTML>\n<body>x</body>")], "página HTML ou SVG, que não é permitida" },
        { "dados.csv", Utf8("\n<script src=https://evil.example/x.js></script>"), "página HTML ou SVG, que não é permitida" },
        { "nfe.xml", Utf8("<?xml version=\"1.0\"?>\n<!-- gerado -->\n<html xmlns=\"http://www.w3.org/1999/xhtml\"><body/></html>"), "página HTML ou SVG, que não é permitida" },
        { "desenho.xml", Utf8(Svg), "página HTML ou SVG, que não é permitida" },
        { "mensagem.eml", Utf8("<iframe src=\"x\"></iframe>"), "página HTML ou SVG, que não é permitida" },
        { "nota.txt", With(PeHead), "o conteúdo não é texto (.txt)" },
        { "nota.txt", Utf8("abc\0def"), "o conteúdo não é texto (.txt)" },
    };

    [Theory]
    [MemberData(nameof(Disguised))]
    public async Task Content_that_does_not_match_the_extension_is_refused(string name, byte[] content, string reason)
    {
        var message = await Refused(name, content);
        Assert.StartsWith($"O arquivo \"{name}\" foi recusado: ", message, StringComparison.Ordinal);
        Assert.EndsWith(reason + ".", message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_accept_attribute_lists_exactly_the_accepted_extensions()
    {
        var accept = FileTypes.AcceptAttribute.Split(',');
        Assert.Contains(".pdf", accept);
        Assert.Contains(".xml", accept);
        Assert.DoesNotContain(".svg", accept);
        Assert.DoesNotContain(".html", accept);
        Assert.Equal(FileTypes.AcceptedExtensions.Count(), accept.Length);
    }

    [Fact]
    public async Task An_empty_file_is_refused() =>
        Assert.Equal("O arquivo \"vazio.pdf\" está vazio.", await Refused("vazio.pdf", []));

    public static TheoryData<string, byte[], string> Accepted => new()
    {
        { "Relatório.PDF", With(PdfHead), "application/pdf" },
        { "foto.png", With(PngHead), "image/png" },
        { "FOTO.JPG", With(JpegHead), "image/jpeg" },
        { "foto.jpeg", With(JpegHead), "image/jpeg" },
        { "animação.gif", With(GifHead), "image/gif" },
        { "foto.webp", With(WebpHead), "image/webp" },
        { "proposta.docx", With(ZipHead), "application/vnd.openxmlformats-officedocument.wordprocessingml.document" },
        { "planilha.xlsx", With(ZipHead), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" },
        { "slides.pptx", With(ZipHead), "application/vnd.openxmlformats-officedocument.presentationml.presentation" },
        { "texto.odt", With(ZipHead), "application/vnd.oasis.opendocument.text" },
        { "planilha.ods", With(ZipHead), "application/vnd.oasis.opendocument.spreadsheet" },
        { "notas.zip", With(ZipHead), "application/zip" },
        { "antigo.doc", With(OleHead), "application/msword" },
        { "antigo.xls", With(OleHead), "application/vnd.ms-excel" },
        { "antigo.ppt", With(OleHead), "application/vnd.ms-powerpoint" },
        { "mensagem.msg", With(OleHead), "application/vnd.ms-outlook" },
        { "nota.txt", Utf8("Olá, cliente!\n<b> não é o começo"), "text/plain" },
        { "dados.csv", [0xEF, 0xBB, 0xBF, .. Utf8("nome;cnpj\nPadaria;12.345.678/0001-95\n")], "text/csv" },
        { "35241112345678000195550010000012341000012345-nfe.xml", Utf8(NfeXml), "application/xml" },
        { "mensagem.eml", Utf8("From: a@b.com.br\r\nSubject: Orçamento\r\n\r\n<html><body>ok</body></html>"), "message/rfc822" },
        { "carta.rtf", Utf8("{\\rtf1\\ansi Olá}"), "application/rtf" },
        { "áudio.mp3", With(Id3Head), "audio/mpeg" },
        { "sem-tag.mp3", With(Mp3FrameHead), "audio/mpeg" },
        { "PTT-20241123-WA0001.ogg", With(OggHead), "audio/ogg" },
        { "gravação.m4a", With(M4aHead), "audio/mp4" },
        { "VID-20241123-WA0002.mp4", With(Mp4Head), "video/mp4" },
    };

    [Theory]
    [MemberData(nameof(Accepted))]
    public async Task Office_types_are_accepted_with_the_content_type_of_what_was_detected(string name, byte[] content, string contentType)
    {
        using var scope = Scope();
        var file = await Save(scope, name, content);
        Assert.Equal(contentType, file.ContentType);
        Assert.Equal(name, file.FileName);
        Assert.Equal(content, await Read(scope, file));
    }

    [Theory]
    [InlineData("../../etc/passwd.txt", "passwd.txt")]
    [InlineData("C:\\x\\a.pdf", "a.pdf")]
    [InlineData("..\\..\\Windows\\win.ini.txt", "win.ini.txt")]
    [InlineData("/var/www/../../boot.pdf", "boot.pdf")]
    [InlineData("  Relato\u0301rio\tfinal\u200B.pdf  ", "Relatório final.pdf")]
    [InlineData(".pdf", "arquivo.pdf")]
    [InlineData("nota fiscal.pdf...", "nota fiscal.pdf")]
    public async Task Names_are_cleaned_of_paths_and_invisible_characters(string name, string cleaned)
    {
        using var scope = Scope();
        var content = cleaned.EndsWith(".txt", StringComparison.Ordinal) ? Utf8("conteúdo") : With(PdfHead);
        var file = await Save(scope, name, content);
        Assert.Equal(cleaned, file.FileName);
        if (scope.ServiceProvider.GetRequiredService<IFileStore>() is DiskFileStore disk)
        {
            var path = disk.PathFor(file.StorageKey);
            Assert.StartsWith(disk.Root + Path.DirectorySeparatorChar, path, StringComparison.Ordinal);
            Assert.Equal(file.StorageKey, Path.GetFileName(path));
            Assert.True(File.Exists(path));
        }
    }

    [Fact]
    public async Task A_right_to_left_override_cannot_hide_an_executable()
    {
        // Shown as "fatura_exe.pdf" by some systems; really "fatura_\u202Efdp.exe".
        var message = await Refused("fatura_\u202Efdp.exe", With(PeHead));
        Assert.StartsWith("O arquivo \"fatura_fdp.exe\" não pode ser enviado: o tipo .exe", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Long_names_are_cut_to_255_characters_keeping_the_extension()
    {
        using var scope = Scope();
        var file = await Save(scope, new string('a', 300) + ".pdf", With(PdfHead));
        Assert.Equal(255, file.FileName.Length);
        Assert.EndsWith("aaa.pdf", file.FileName, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Only_real_raster_images_are_previewable()
    {
        using var scope = Scope();
        Assert.True(FileService.IsPreviewableImage(await Save(scope, "a.png", With(PngHead))));
        Assert.True(FileService.IsPreviewableImage(await Save(scope, "a.jpg", With(JpegHead))));
        Assert.True(FileService.IsPreviewableImage(await Save(scope, "a.gif", With(GifHead))));
        Assert.True(FileService.IsPreviewableImage(await Save(scope, "a.webp", With(WebpHead))));
        Assert.False(FileService.IsPreviewableImage(await Save(scope, "a.pdf", With(PdfHead))));
        Assert.False(FileService.IsPreviewableImage(await Save(scope, "a.txt", Utf8("texto"))));
        Assert.False(FileService.IsPreviewableImage(new StoredFile { FileName = "a.svg", ContentType = "image/svg+xml" }));
        Assert.False(FileService.IsPreviewableImage(new StoredFile { FileName = "a.png", ContentType = "application/octet-stream" }));
    }

    [Fact]
    public async Task The_caller_is_recorded_as_the_uploader()
    {
        using var scope = Scope();
        var db = scope.ServiceProvider.GetRequiredService<AtendeDb>();
        var adminId = await db.Users.Where(u => u.Email == Infrastructure.TestApp.AdminEmail).Select(u => u.Id).SingleAsync(Ct);
        var caller = await CallerFactory.Load(db, adminId, ct: Ct);
        var files = new FileService(db, scope.ServiceProvider.GetRequiredService<IFileStore>(), scope.ServiceProvider.GetRequiredService<FileLimits>(), caller);

        var file = await files.Save("a.pdf", new MemoryStream(With(PdfHead)), Ct);

        Assert.Equal(adminId, file.CreatedById);
        // Outside a request (e-mail import, jobs) the app's FileService has no caller.
        Assert.Null((await Save(scope, "b.pdf", With(PdfHead))).CreatedById);
    }

    [Fact]
    public async Task When_the_row_cannot_be_saved_the_bytes_are_deleted()
    {
        using var scope = Scope();
        var db = scope.ServiceProvider.GetRequiredService<AtendeDb>();
        var ghost = new Caller(987_654_321, "Ninguém", UserRole.Agent, []);
        var files = new FileService(db, scope.ServiceProvider.GetRequiredService<IFileStore>(), scope.ServiceProvider.GetRequiredService<FileLimits>(), ghost);
        var rows = await db.StoredFiles.CountAsync(Ct);
        var bytes = await StoredBytesCount(scope.ServiceProvider);

        // The uploader does not exist: the foreign key refuses the row after the bytes were stored.
        await Assert.ThrowsAsync<DbUpdateException>(() => files.Save("a.pdf", new MemoryStream(With(PdfHead)), Ct));

        Assert.Equal(rows, await db.StoredFiles.CountAsync(Ct));
        Assert.Equal(bytes, await StoredBytesCount(scope.ServiceProvider));
    }

    [Fact]
    public async Task Inside_a_transaction_that_fails_nothing_is_left_either()
    {
        using var scope = Scope();
        var db = scope.ServiceProvider.GetRequiredService<AtendeDb>();
        var ghost = new Caller(987_654_321, "Ninguém", UserRole.Agent, []);
        var files = new FileService(db, scope.ServiceProvider.GetRequiredService<IFileStore>(), scope.ServiceProvider.GetRequiredService<FileLimits>(), ghost);
        var rows = await db.StoredFiles.CountAsync(Ct);
        var bytes = await StoredBytesCount(scope.ServiceProvider);

        await using (var tx = await db.Database.BeginTransactionAsync(Ct))
        {
            await Assert.ThrowsAsync<DbUpdateException>(() => files.Save("a.pdf", new MemoryStream(With(PdfHead)), Ct));
            await tx.RollbackAsync(Ct);
        }

        Assert.Equal(rows, await db.StoredFiles.CountAsync(Ct));
        Assert.Equal(bytes, await StoredBytesCount(scope.ServiceProvider));
    }
}

public sealed class FileServiceTestsSqliteDisk(SqliteDiskFiles fixture) : FileServiceTests(fixture), IClassFixture<SqliteDiskFiles>;
public sealed class FileServiceTestsSqliteDatabase(SqliteDatabaseFiles fixture) : FileServiceTests(fixture), IClassFixture<SqliteDatabaseFiles>;
public sealed class FileServiceTestsPostgresDisk(PostgresDiskFiles fixture) : FileServiceTests(fixture), IClassFixture<PostgresDiskFiles>;
public sealed class FileServiceTestsPostgresDatabase(PostgresDatabaseFiles fixture) : FileServiceTests(fixture), IClassFixture<PostgresDatabaseFiles>;
