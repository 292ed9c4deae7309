using System.Globalization;
using System.IO.Compression;
using System.Text;
using CsvHelper;
using CsvHelper.Configuration;
using MiniExcelLibs;
using MiniExcelLibs.OpenXml;

namespace Atende.Core.Common;

/// <summary>How an uploaded spreadsheet was read: a CSV in one of the two encodings Excel pt-BR writes, or an XLSX workbook.</summary>
public enum SpreadsheetFormat
{
    CsvUtf8,
    CsvWindows1252,
    Xlsx,
}

/// <summary>A row of an uploaded spreadsheet as text; <see cref="Line"/> is where it starts in the file (1 = the header).</summary>
public sealed record SpreadsheetRow(int Line, IReadOnlyList<string> Cells);

/// <summary>An uploaded spreadsheet as text: its first row (the header) and the rows below it, empty rows left out.</summary>
public sealed record SpreadsheetTable(SpreadsheetFormat Format, IReadOnlyList<string> Headers, IReadOnlyList<SpreadsheetRow> Rows);

/// <summary>
/// Reads an uploaded spreadsheet (CSV or XLSX, told apart by content, not by name) into text, and writes XLSX files.
/// A CSV is decoded as strict UTF-8 (with or without BOM) and, when that fails, as Windows-1252 (what Excel pt-BR saves as
/// "CSV (separado por vírgulas)"); its delimiter is ';' or ',' (whichever the header has more of). An XLSX's first sheet
/// is read cell by cell as text (numbers without exponent or thousands separators, so codes and phones keep their digits).
/// Every refusal is a <see cref="ValidationException"/> on "file" with a pt-BR message: nothing here throws anything else
/// for a bad file.
/// </summary>
public static class Spreadsheet
{
    /// <summary>The largest file an import takes (page and API).</summary>
    public const int MaxBytes = 3 * 1024 * 1024;

    /// <summary>What an XLSX may unpack to: a small zip can hold gigabytes of repeated text.</summary>
    private const long MaxXlsxUnpackedBytes = 100L * 1024 * 1024;

    public const string XlsxContentType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Windows code pages ship with .NET; the provider is asked directly instead of registered for the whole process.</summary>
    private static readonly Encoding Windows1252 = CodePagesEncodingProvider.Instance.GetEncoding(1252)!;

    /// <summary>What the preview says the file was read as ("Lido como …").</summary>
    public static string Describe(SpreadsheetFormat format) => format switch
    {
        SpreadsheetFormat.CsvUtf8 => "UTF-8",
        SpreadsheetFormat.CsvWindows1252 => "Windows-1252 (Excel)",
        _ => "planilha XLSX",
    };

    /// <summary>Reads an upload into memory, refusing it as soon as it passes <see cref="MaxBytes"/>.</summary>
    public static async Task<byte[]> ReadUpload(Stream input, CancellationToken ct)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await input.ReadAsync(chunk, ct)) > 0)
        {
            if (buffer.Length + read > MaxBytes)
            {
                throw TooLarge();
            }
            buffer.Write(chunk, 0, read);
        }
        return buffer.ToArray();
    }

    /// <summary>Reads <paramref name="bytes"/>; refuses more than <paramref name="maxRows"/> rows below the header.</summary>
    public static SpreadsheetTable Read(byte[] bytes, int maxRows)
    {
        if (bytes.Length == 0)
        {
            throw Refused("O arquivo está vazio.");
        }
        if (bytes.Length > MaxBytes)
        {
            throw TooLarge();
        }
        if (bytes.AsSpan().StartsWith("PK\u0003\u0004"u8))
        {
            return ReadXlsx(bytes, maxRows);
        }
        if (bytes.AsSpan().StartsWith((ReadOnlySpan<byte>)[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]))
        {
            throw Refused("Planilha do Excel 97-2003 (.xls) não é aceita: no Excel, use \"Salvar como\" e escolha Pasta de Trabalho do Excel (.xlsx) ou CSV.");
        }
        if (bytes.AsSpan(0, Math.Min(bytes.Length, 8192)).Contains((byte)0))
        {
            throw Refused("O arquivo não é uma planilha CSV nem XLSX. No Excel, use \"Salvar como\" e escolha CSV ou Pasta de Trabalho do Excel (.xlsx).");
        }
        var (text, format) = Decode(bytes);
        return ReadCsv(text, format, maxRows);
    }

    /// <summary>Strict UTF-8 (BOM skipped) or, when the bytes are not UTF-8, Windows-1252.</summary>
    internal static (string Text, SpreadsheetFormat Format) Decode(byte[] bytes)
    {
        var body = bytes.AsSpan().StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]) ? bytes.AsSpan(3) : bytes.AsSpan();
        try
        {
            return (StrictUtf8.GetString(body), SpreadsheetFormat.CsvUtf8);
        }
        catch (DecoderFallbackException)
        {
            return (Windows1252.GetString(body), SpreadsheetFormat.CsvWindows1252);
        }
    }

    private static SpreadsheetTable ReadCsv(string text, SpreadsheetFormat format, int maxRows)
    {
        var firstLine = text.Split('\n', 2)[0];
        var config = new CsvConfiguration(CultureInfo.GetCultureInfo("pt-BR"))
        {
            Delimiter = firstLine.Count(c => c == ';') >= firstLine.Count(c => c == ',') ? ";" : ",",
            HasHeaderRecord = false,
            MissingFieldFound = null,
            BadDataFound = null,
            DetectColumnCountChanges = false,
        };
        try
        {
            using var csv = new CsvParser(new StringReader(text), config);
            if (!csv.Read())
            {
                throw Refused("O arquivo está vazio.");
            }
            var headers = csv.Record ?? [];
            var rows = new List<SpreadsheetRow>();
            while (csv.Read())
            {
                var cells = csv.Record ?? [];
                if (cells.All(string.IsNullOrWhiteSpace))
                {
                    continue;
                }
                if (rows.Count >= maxRows)
                {
                    throw TooManyRows(maxRows);
                }
                // RawRow is the record's last line; a quoted cell with line breaks starts it earlier.
                var breaks = csv.RawRecord.TrimEnd('\r', '\n').Count(c => c == '\n');
                rows.Add(new SpreadsheetRow(csv.RawRow - breaks, cells));
            }
            return new SpreadsheetTable(format, headers, rows);
        }
        catch (CsvHelperException)
        {
            throw Refused("Não foi possível ler o CSV: confira se ele foi salvo pelo Excel como CSV, com ';' ou ',' entre as colunas.");
        }
    }

    private static SpreadsheetTable ReadXlsx(byte[] bytes, int maxRows)
    {
        try
        {
            using (var zip = new ZipArchive(new MemoryStream(bytes), ZipArchiveMode.Read))
            {
                if (zip.GetEntry("xl/workbook.xml") is null)
                {
                    throw Refused("O arquivo é compactado (ZIP) mas não é uma planilha XLSX. No Excel ou LibreOffice, salve como Pasta de Trabalho do Excel (.xlsx) ou CSV.");
                }
                if (zip.Entries.Sum(e => e.Length) > MaxXlsxUnpackedBytes)
                {
                    throw Refused("A planilha é grande demais depois de descompactada; divida-a em partes.");
                }
            }
            var headers = new List<string>();
            var rows = new List<SpreadsheetRow>();
            var line = 0;
            foreach (IDictionary<string, object?> row in MiniExcel.Query(new MemoryStream(bytes), useHeaderRow: false, excelType: ExcelType.XLSX,
                configuration: new OpenXmlConfiguration { FillMergedCells = false }))
            {
                line++;
                var cells = row.Values.Select(CellText).ToList();
                if (line == 1)
                {
                    headers = cells;
                    continue;
                }
                if (cells.All(string.IsNullOrWhiteSpace))
                {
                    continue;
                }
                if (rows.Count >= maxRows)
                {
                    throw TooManyRows(maxRows);
                }
                rows.Add(new SpreadsheetRow(line, cells));
            }
            if (line == 0)
            {
                throw Refused("A planilha está vazia: a primeira linha deve ter os cabeçalhos.");
            }
            return new SpreadsheetTable(SpreadsheetFormat.Xlsx, headers, rows);
        }
        catch (Exception e) when (e is not ValidationException and not OperationCanceledException and not OutOfMemoryException)
        {
            // The zip or its XML is damaged: whatever the parser threw, the user gets the same advice.
            throw Refused("A planilha XLSX está corrompida ou incompleta: abra-a no Excel e salve de novo, ou exporte como CSV.");
        }
    }

    /// <summary>
    /// A cell as the text a person sees: numbers in full, without exponent or thousands separator ("00123" typed as text stays
    /// so, 11987654321 typed as a number is "11987654321"), decimals with a comma, dates dd/MM/yyyy, booleans Sim/Não.
    /// </summary>
    internal static string CellText(object? value) => value switch
    {
        null => "",
        string s => s,
        bool b => b ? "Sim" : "Não",
        DateTime d => d.TimeOfDay == TimeSpan.Zero ? d.ToString("dd/MM/yyyy", CultureInfo.InvariantCulture) : d.ToString("dd/MM/yyyy HH:mm", CultureInfo.InvariantCulture),
        DateTimeOffset d => CellText(d.DateTime),
        double n when double.IsFinite(n) => NumberText((decimal)Math.Round(n, 10)),
        decimal n => NumberText(n),
        int or long or short or byte => Convert.ToString(value, CultureInfo.InvariantCulture) ?? "",
        _ => Convert.ToString(value, CultureInfo.InvariantCulture) ?? "",
    };

    private static string NumberText(decimal n) =>
        n == decimal.Truncate(n) ? n.ToString("0", CultureInfo.InvariantCulture) : n.ToString("0.##########", CultureInfo.GetCultureInfo("pt-BR"));

    /// <summary>Neutralizes text a spreadsheet would run as a formula (=, +, -, @, tab, CR) in a CSV cell.</summary>
    public static string SafeCell(string value) =>
        value.Length > 0 && value[0] is '=' or '+' or '-' or '@' or '\t' or '\r' ? "'" + value : value;

    /// <summary>Undoes <see cref="SafeCell"/> on a cell read back.</summary>
    public static string UnsafeCell(string value) =>
        value.Length > 1 && value[0] == '\'' && value[1] is '=' or '+' or '-' or '@' or '\t' or '\r' ? value[1..] : value;

    /// <summary>
    /// CSV for Excel pt-BR: UTF-8 with a BOM (Excel otherwise reads Windows-1252), ';' between cells, text that could start a
    /// formula prefixed with an apostrophe (<see cref="SafeCell"/>); other values in invariant form. Written as the rows come.
    /// </summary>
    public static async Task WriteCsv(Stream output, IReadOnlyList<string> headers, IAsyncEnumerable<object?[]> rows, CancellationToken ct)
    {
        await using var writer = new StreamWriter(output, new UTF8Encoding(encoderShouldEmitUTF8Identifier: true), leaveOpen: true);
        await using var csv = new CsvWriter(writer, new CsvConfiguration(CultureInfo.GetCultureInfo("pt-BR")) { Delimiter = ";" });
        foreach (var h in headers)
        {
            csv.WriteField(h);
        }
        await csv.NextRecordAsync();
        await foreach (var row in rows.WithCancellation(ct))
        {
            foreach (var cell in row)
            {
                csv.WriteField(cell is string text ? SafeCell(text) : Convert.ToString(cell, CultureInfo.InvariantCulture));
            }
            await csv.NextRecordAsync();
        }
    }

    public static ValidationException TooLarge() => Refused($"O arquivo pode ter no máximo {MaxBytes / 1024 / 1024} MB.");

    private static ValidationException TooManyRows(int maxRows) =>
        Refused($"O arquivo pode ter no máximo {maxRows} linhas; divida-o em partes.");

    private static ValidationException Refused(string message) => new("file", message);
}
