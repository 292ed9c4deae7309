using System.Globalization;
using System.IO.Compression;
using System.Text;

namespace Atende.Core.Common;

/// <summary>
/// Writes a one-sheet XLSX to a stream that need not seek (an HTTP response), row by row as they are read, so an export of
/// 100,000 rows holds one row in memory, not the sheet. Cells are typed by their value: a string is an inline text
/// cell (a code "007" or a phone stays as typed, and nothing is ever a formula), a number is a number, a <see cref="DateTime"/> (a wall-clock time) a date-time cell "dd/mm/aaaa hh:mm", a
/// <see cref="DateOnly"/> a date cell; null leaves the cell empty. The header row is bold, frozen and has a filter.
/// </summary>
public static class XlsxWriter
{
    // Styles (cellXfs index): 0 text/general, 1 header (bold), 2 date-time, 3 date.
    private const int HeaderStyle = 1, DateTimeStyle = 2, DateStyle = 3;

    public static async Task Write(Stream output, string sheetName, IReadOnlyList<string> headers, IAsyncEnumerable<object?[]> rows, CancellationToken ct)
    {
        // The zip is written to a temporary file, then copied out: ZipArchive still writes parts of an entry synchronously,
        // which an HTTP response refuses; a file takes them, and memory stays flat either way.
        await using var file = new FileStream(Path.GetTempFileName(), FileMode.Create, FileAccess.ReadWrite, FileShare.None, 64 * 1024,
            FileOptions.Asynchronous | FileOptions.DeleteOnClose);
        await WriteZip(file, sheetName, headers, rows, ct);
        file.Position = 0;
        await file.CopyToAsync(output, ct);
    }

    private static async Task WriteZip(Stream output, string sheetName, IReadOnlyList<string> headers, IAsyncEnumerable<object?[]> rows, CancellationToken ct)
    {
        await using var zip = await ZipArchive.CreateAsync(output, ZipArchiveMode.Create, leaveOpen: true, entryNameEncoding: null, ct);
        await Entry(zip, "[Content_Types].xml", ContentTypes, ct);
        await Entry(zip, "_rels/.rels", PackageRels, ct);
        await Entry(zip, "xl/workbook.xml", Workbook(sheetName), ct);
        await Entry(zip, "xl/_rels/workbook.xml.rels", WorkbookRels, ct);
        await Entry(zip, "xl/styles.xml", Styles, ct);
        var sheet = zip.CreateEntry("xl/worksheets/sheet1.xml", CompressionLevel.Fastest);
        await using var stream = await sheet.OpenAsync(ct);
        await using var xml = new StreamWriter(stream, new UTF8Encoding(false), 64 * 1024);
        await xml.WriteAsync("""<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">""");
        await xml.WriteAsync("""<sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/></sheetView></sheetViews><cols>""");
        for (var i = 0; i < headers.Count; i++)
        {
            var width = Math.Clamp(headers[i].Length + 4, 12, 40).ToString(CultureInfo.InvariantCulture);
            await xml.WriteAsync($"""<col min="{i + 1}" max="{i + 1}" width="{width}" customWidth="1"/>""");
        }
        await xml.WriteAsync("</cols><sheetData>");
        var line = new StringBuilder();
        Row(line, 1, headers.Cast<object?>().ToArray(), HeaderStyle);
        await xml.WriteAsync(line, ct);
        var number = 1;
        await foreach (var cells in rows.WithCancellation(ct))
        {
            line.Clear();
            Row(line, ++number, cells, 0);
            await xml.WriteAsync(line, ct);
        }
        await xml.WriteAsync($"""</sheetData><autoFilter ref="A1:{Column(headers.Count - 1)}{number}"/></worksheet>""");
    }

    /// <summary>The same from rows already in memory.</summary>
    public static Task Write(Stream output, string sheetName, IReadOnlyList<string> headers, IEnumerable<object?[]> rows, CancellationToken ct) =>
        Write(output, sheetName, headers, rows.ToAsyncEnumerable(), ct);

    private static void Row(StringBuilder xml, int number, IReadOnlyList<object?> cells, int textStyle)
    {
        xml.Append("<row r=\"").Append(number).Append("\">");
        for (var i = 0; i < cells.Count; i++)
        {
            var reference = Column(i) + number.ToString(CultureInfo.InvariantCulture);
            switch (cells[i])
            {
                case null:
                    break;
                case string text:
                    xml.Append("<c r=\"").Append(reference).Append('"').Append(textStyle > 0 ? $" s=\"{textStyle}\"" : "")
                        .Append(" t=\"inlineStr\"><is><t xml:space=\"preserve\">");
                    Escape(xml, text);
                    xml.Append("</t></is></c>");
                    break;
                case DateTime at:
                    Number(xml, reference, DateTimeStyle, at.ToOADate().ToString("R", CultureInfo.InvariantCulture));
                    break;
                case DateOnly day:
                    Number(xml, reference, DateStyle, day.ToDateTime(TimeOnly.MinValue).ToOADate().ToString("R", CultureInfo.InvariantCulture));
                    break;
                case IFormattable n and (int or long or decimal or double or float or short):
                    Number(xml, reference, 0, n.ToString(null, CultureInfo.InvariantCulture));
                    break;
                case var other:
                    throw new ArgumentException($"A spreadsheet cell cannot hold a {other.GetType().Name}.", nameof(cells));
            }
        }
        xml.Append("</row>");
    }

    private static void Number(StringBuilder xml, string reference, int style, string value)
    {
        xml.Append("<c r=\"").Append(reference).Append('"');
        if (style > 0)
        {
            xml.Append(" s=\"").Append(style).Append('"');
        }
        xml.Append("><v>").Append(value).Append("</v></c>");
    }

    /// <summary>XML-escapes text and drops the control characters XML 1.0 cannot carry (a stray \u0001 in a note).</summary>
    private static void Escape(StringBuilder xml, string text)
    {
        foreach (var ch in text)
        {
            switch (ch)
            {
                case '<': xml.Append("&lt;"); break;
                case '>': xml.Append("&gt;"); break;
                case '&': xml.Append("&amp;"); break;
                case '\t' or '\n' or '\r': xml.Append(ch); break;
                case < ' ' or '\uFFFE' or '\uFFFF': break;
                default: xml.Append(ch); break;
            }
        }
    }

    /// <summary>"A", "B", … "Z", "AA" for a zero-based column.</summary>
    private static string Column(int index)
    {
        var name = "";
        for (var n = index + 1; n > 0; n = (n - 1) / 26)
        {
            name = (char)('A' + (n - 1) % 26) + name;
        }
        return name;
    }

    private static async Task Entry(ZipArchive zip, string name, string content, CancellationToken ct)
    {
        await using var stream = await zip.CreateEntry(name, CompressionLevel.Fastest).OpenAsync(ct);
        await stream.WriteAsync(Encoding.UTF8.GetBytes(content), ct);
    }

    private static string Workbook(string sheetName)
    {
        var name = new StringBuilder();
        Escape(name, sheetName.Length > 31 ? sheetName[..31] : sheetName);
        return $"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="{name.Replace("\"", "&quot;")}" sheetId="1" r:id="rId1"/></sheets></workbook>""";
    }

    private const string ContentTypes = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/></Types>""";

    private const string PackageRels = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>""";

    private const string WorkbookRels = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/></Relationships>""";

    // numFmt 164 "dd/mm/yyyy hh:mm", 166 "dd/mm/yyyy".
    private const string Styles = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?><styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><numFmts count="2"><numFmt numFmtId="164" formatCode="dd/mm/yyyy hh:mm"/><numFmt numFmtId="166" formatCode="dd/mm/yyyy"/></numFmts><fonts count="2"><font><sz val="11"/><name val="Calibri"/></font><font><b/><sz val="11"/><name val="Calibri"/></font></fonts><fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills><borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders><cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs><cellXfs count="4"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/><xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/><xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/><xf numFmtId="166" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs><cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>""";
}
