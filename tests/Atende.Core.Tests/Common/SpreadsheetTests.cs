using System.Text;
using Atende.Core.Common;
using Xunit;

namespace Atende.Core.Tests.Common;

public class SpreadsheetTests
{
    private static readonly Encoding Windows1252 = CodePagesEncodingProvider.Instance.GetEncoding(1252)!;

    [Fact]
    public void Utf8_is_read_as_utf8_with_or_without_bom()
    {
        var text = "Nome\nAção";
        Assert.Equal((text, SpreadsheetFormat.CsvUtf8), Spreadsheet.Decode(Encoding.UTF8.GetBytes(text)));
        Assert.Equal((text, SpreadsheetFormat.CsvUtf8), Spreadsheet.Decode([0xEF, 0xBB, 0xBF, .. Encoding.UTF8.GetBytes(text)]));
    }

    [Fact]
    public void Bytes_that_are_not_utf8_are_read_as_windows_1252()
    {
        var text = "Nome;Cidade\nAção;São João\nConceição;Pé-de-Moleque €";
        Assert.Equal((text, SpreadsheetFormat.CsvWindows1252), Spreadsheet.Decode(Windows1252.GetBytes(text)));
    }

    [Fact]
    public void Plain_ascii_is_utf8()
    {
        Assert.Equal(SpreadsheetFormat.CsvUtf8, Spreadsheet.Decode("Nome\nJoao"u8.ToArray()).Format);
    }

    [Theory]
    [InlineData(null, "")]
    [InlineData("00123", "00123")]
    [InlineData(11987654321d, "11987654321")]
    [InlineData(12345678901234d, "12345678901234")]
    [InlineData(1.5d, "1,5")]
    [InlineData(0.1d, "0,1")]
    [InlineData(true, "Sim")]
    [InlineData(false, "Não")]
    [InlineData(42L, "42")]
    public void Cells_read_as_a_person_sees_them(object? value, string text)
    {
        Assert.Equal(text, Spreadsheet.CellText(value));
    }

    [Fact]
    public void Dates_read_as_dd_mm_yyyy()
    {
        Assert.Equal("04/03/2026", Spreadsheet.CellText(new DateTime(2026, 3, 4)));
        Assert.Equal("04/03/2026 14:30", Spreadsheet.CellText(new DateTime(2026, 3, 4, 14, 30, 0)));
    }

    [Fact]
    public void Csv_rows_keep_their_line_and_skip_empty_ones()
    {
        var table = Spreadsheet.Read(Encoding.UTF8.GetBytes("Nome,Código\n\"Dois\nlinhas\",007\n,,\n\nTerceira,00\n"), 10);
        Assert.Equal(["Nome", "Código"], table.Headers);
        Assert.Equal([2, 6], table.Rows.Select(r => r.Line));
        Assert.Equal(["Dois\nlinhas", "007"], table.Rows[0].Cells);
    }

    [Fact]
    public void More_rows_than_allowed_are_refused()
    {
        var e = Assert.Throws<ValidationException>(() => Spreadsheet.Read(Encoding.UTF8.GetBytes("Nome\na\nb\nc\n"), 2));
        Assert.Equal(["O arquivo pode ter no máximo 2 linhas; divida-o em partes."], e.Errors["file"]);
    }

    [Fact]
    public async Task Xlsx_written_row_by_row_reads_back_with_its_types_and_to_a_stream_that_cannot_seek()
    {
        using var written = new MemoryStream();
        using var forwardOnly = new ForwardOnlyStream(written);
        object?[][] rows =
        [
            ["007", 42L, new DateTime(2026, 3, 4, 14, 30, 0), new DateOnly(2026, 12, 7), "<b>&</b> \u0001fim", null, "=1+1"],
            ["(11) 98765-4321", 1.5m, null, null, "Ação", "x", "-2"],
        ];
        await XlsxWriter.Write(forwardOnly, "Relatório <teste> com um nome longo demais", ["Código", "Número", "Quando", "Dia", "Texto", "Vazio", "Fórmula"], rows, TestContext.Current.CancellationToken);

        var table = Spreadsheet.Read(written.ToArray(), 10);
        Assert.Equal(SpreadsheetFormat.Xlsx, table.Format);
        Assert.Equal(["Código", "Número", "Quando", "Dia", "Texto", "Vazio", "Fórmula"], table.Headers);
        Assert.Equal(["007", "42", "04/03/2026 14:30", "07/12/2026", "<b>&</b> fim", "", "=1+1"], table.Rows[0].Cells);
        Assert.Equal(["(11) 98765-4321", "1,5", "", "", "Ação", "x", "-2"], table.Rows[1].Cells);
    }

    /// <summary>A stream that only writes forward, as an HTTP response does.</summary>
    private sealed class ForwardOnlyStream(Stream inner) : Stream
    {
        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() => inner.Flush();
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new InvalidOperationException("synchronous write");
        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) => inner.WriteAsync(buffer, offset, count, cancellationToken);
        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) => inner.WriteAsync(buffer, cancellationToken);
    }
}
