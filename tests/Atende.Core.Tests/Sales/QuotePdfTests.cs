using System.Diagnostics;
using System.Text;
using Atende.Core.Sales;
using Xunit;

namespace Atende.Core.Tests.Sales;

/// <summary>
/// The quote PDF read back as a customer's viewer would: its text extracted by poppler's pdftotext (and pdfinfo, pdffonts).
/// Without poppler-utils the tests skip, or fail when ATENDE_REQUIRE_SERVICES=1 (.ci/run installs it).
/// </summary>
public sealed class QuotePdfTests
{
    private const string ApprovalUrl = "https://atende.exemplo.com.br/aprovar/9f8e7d6c5b4a39281706f5e4d3c2b1a0";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static QuoteParty Company() => new(
        "Oficina Exemplo Ltda", "11.222.333/0001-81", "123.456.789.110",
        ["Rua das Acácias, 120 — sala 3", "Centro — São Paulo/SP — CEP 01001-000"], "contato@oficina.com.br", "(11) 3333-4444");

    private static QuoteParty Customer() => new(
        "Padaria São João Ltda", "12.345.678/0001-95", "ISENTO",
        ["Av. Brasil, 1500", "Jardim América — Ribeirão Preto/SP — CEP 14020-000"], "compras@padariasaojoao.com.br", "(16) 99999-1234");

    private static QuoteDocument Realistic(bool obsolete = false) => new(
        "Orçamento", "ORC-2026-0001", 2, obsolete, "Em aprovação",
        new DateOnly(2026, 12, 6), new DateOnly(2026, 12, 20),
        Company(), Customer(),
        [
            new(1, "Manutenção preventiva de forno elétrico", 2, 617.28m, 0, 1234.56m),
            new(2, "Instalação de coifa com exaustão", 1.5m, 400m, 50m, 550m),
        ],
        1834.56m, 50m, 1784.56m,
        "Prazo de execução: 5 dias úteis após aprovação.\nPagamento: 50% na aprovação e 50% na conclusão.",
        ApprovalUrl);

    private static QuoteDocument WithLines(int count) => Realistic() with
    {
        Lines = Enumerable.Range(1, count)
            .Select(i => new QuoteDocumentLine(i, $"Peça de reposição nº {i}", 3, 10m, 0, 30m))
            .ToList(),
        Subtotal = count * 30m, DiscountTotal = 0, Total = count * 30m,
    };

    [Fact]
    public void The_file_is_a_pdf()
    {
        var bytes = QuotePdf.Render(Realistic());

        Assert.Equal("%PDF-", Encoding.ASCII.GetString(bytes, 0, 5));
    }

    [Fact]
    public async Task A_customer_reads_who_sells_to_whom_what_for_how_much_and_until_when()
    {
        var text = await Text(QuotePdf.Render(Realistic()));

        Assert.Contains("Oficina Exemplo Ltda", text);
        Assert.Contains("CNPJ 11.222.333/0001-81", text);
        Assert.Contains("IE 123.456.789.110", text);
        Assert.Contains("Rua das Acácias, 120 — sala 3", text);
        Assert.Contains("Padaria São João Ltda", text);
        Assert.Contains("CNPJ 12.345.678/0001-95", text);
        Assert.Contains("IE ISENTO", text);
        Assert.Contains("Jardim América — Ribeirão Preto/SP — CEP 14020-000", text);
        Assert.Contains("compras@padariasaojoao.com.br", text);
        Assert.Contains("Orçamento ORC-2026-0001", text);
        Assert.Contains("Versão 2", text);
        Assert.Contains("Emitido em 06/12/2026", text);
        Assert.Contains("Válido até 20/12/2026", text);
        Assert.Contains("Em aprovação", text);
        Assert.Contains("Manutenção preventiva de forno elétrico", text);
        Assert.Contains("Instalação de coifa com exaustão", text);
        Assert.Contains("R$ 617,28", text);
        Assert.Contains("R$ 1.234,56", text);
        Assert.Contains("1,5", text);
        Assert.Contains("R$ 50,00", text);
        Assert.Matches(@"Subtotal\s+R\$ 1\.834,56", text);
        Assert.Matches(@"Descontos\s+R\$ 50,00", text);
        Assert.Matches(@"Total\s+R\$ 1\.784,56", text);
        Assert.Contains("Observações", text);
        Assert.Contains("Prazo de execução: 5 dias úteis após aprovação.\nPagamento: 50% na aprovação e 50% na conclusão.", text);
        Assert.Contains("Para aprovar este orçamento, acesse:", text);
        Assert.Contains(ApprovalUrl, text);
        Assert.Contains("Página 1 de 1", text);
        Assert.DoesNotContain("SUBSTITUÍDA", text);
    }

    [Fact]
    public void The_approval_url_is_a_clickable_link()
    {
        var raw = Encoding.Latin1.GetString(QuotePdf.Render(Realistic()));

        Assert.Contains("/URI(" + ApprovalUrl + ")", raw);
        Assert.DoesNotContain("/URI(", Encoding.Latin1.GetString(QuotePdf.Render(Realistic() with { ApprovalUrl = null })));
    }

    [Fact]
    public async Task The_document_is_titled_and_signed_by_the_company_with_its_fonts_embedded()
    {
        var file = Temp(QuotePdf.Render(Realistic()));
        try
        {
            var info = await Poppler("pdfinfo", file);
            Assert.Contains("Orçamento ORC-2026-0001 v2", info);
            Assert.Matches(@"Author:\s+Oficina Exemplo Ltda", info);
            Assert.Matches(@"Page size:\s+595(\.\d+)? x 842(\.\d+)? pts \(A4\)", info);

            // Every font is DejaVu Sans and embedded: nothing is left to the reader's system fonts.
            var fonts = (await Poppler("pdffonts", file)).Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(2).ToList();
            Assert.NotEmpty(fonts);
            Assert.All(fonts, line =>
            {
                Assert.Contains("DejaVu Sans", line);
                Assert.Matches(@"\byes\b", line);
            });
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task A_customer_with_a_cpf_is_labelled_cpf()
    {
        var document = Realistic() with { Customer = Customer() with { Name = "Maria José da Conceição", TaxId = "529.982.247-25", StateRegistration = "" } };

        var text = await Text(QuotePdf.Render(document));

        Assert.Contains("Maria José da Conceição", text);
        Assert.Contains("CPF 529.982.247-25", text);
        Assert.DoesNotContain("CNPJ 529", text);
    }

    [Fact]
    public async Task What_is_missing_is_left_out_not_printed_empty()
    {
        var blank = new QuoteParty("Cliente Avulso", "", "", [], "", "");
        var document = Realistic() with { Customer = blank, ValidUntil = null, Notes = "  ", ApprovalUrl = null, StateLabel = "Aprovado", Title = "Venda" };

        var text = await Text(QuotePdf.Render(document));

        Assert.Contains("Venda ORC-2026-0001", text);
        Assert.Contains("Cliente Avulso", text);
        Assert.Contains("Aprovado", text);
        Assert.DoesNotContain("Válido até", text);
        Assert.DoesNotContain("Observações", text);
        Assert.DoesNotContain("Para aprovar", text);
        Assert.DoesNotContain("IE ISENTO", text);
        Assert.Single(System.Text.RegularExpressions.Regex.Matches(text, "CNPJ")); // the company's only
    }

    [Fact]
    public async Task A_superseded_version_says_so_on_every_page()
    {
        var document = WithLines(120) with { Obsolete = true };

        var pages = Pages(await Text(QuotePdf.Render(document)));

        Assert.True(pages.Count > 1, $"{pages.Count} page(s)");
        Assert.All(pages, page => Assert.Contains("VERSÃO SUBSTITUÍDA", page));
    }

    [Fact]
    public async Task A_thousand_lines_go_on_over_pages_with_the_header_repeated_and_the_totals_after_the_last_line()
    {
        var pages = Pages(await Text(QuotePdf.Render(WithLines(1000))));

        var count = pages.Count;
        Assert.True(count > 1, $"{count} page(s)");
        for (var i = 0; i < count; i++)
        {
            Assert.Contains($"Página {i + 1} de {count}", pages[i]);
            Assert.Contains("ORC-2026-0001", pages[i]);
            if (pages[i].Contains("Peça de reposição", StringComparison.Ordinal))
            {
                Assert.Matches(@"Nº\s+Descrição\s+Qtd\.\s+Valor unit\.\s+Desconto\s+Total", pages[i]);
            }
        }
        var all = string.Join("\n", pages);
        foreach (var position in new[] { 1, 2, 499, 500, 999, 1000 })
        {
            Assert.Matches($@"Peça de reposição nº {position}\s", all);
        }
        var lastLine = all.IndexOf("Peça de reposição nº 1000", StringComparison.Ordinal);
        var total = all.IndexOf("R$ 30.000,00", StringComparison.Ordinal);
        Assert.True(total > lastLine, "the totals come after the last line");
        var last = pages[^1];
        Assert.Matches(@"Total\s+R\$ 30\.000,00", last);
    }

    [Fact]
    public async Task A_long_description_wraps_in_its_column_and_keeps_every_word()
    {
        var words = Enumerable.Range(1, 150).Select(i => $"palavra{i:000}").ToList();
        var document = Realistic() with
        {
            Lines = [new(1, string.Join(" ", words), 1, 99.9m, 0, 99.9m), new(2, "Item seguinte", 1, 1m, 0, 1m)],
        };

        var text = await Text(QuotePdf.Render(document));

        Assert.All(words, word => Assert.Contains(word, text));
        var rows = text.Split('\n').Where(l => l.Contains("palavra", StringComparison.Ordinal)).ToList();
        Assert.True(rows.Count > 10, $"{rows.Count} line(s)");
        // Wrapped inside the column: only its first line shares the row with the numbers, and no line runs into them.
        Assert.Single(rows, r => r.Contains("R$ 99,90", StringComparison.Ordinal));
        Assert.All(rows, r => Assert.True(r.Split(' ', StringSplitOptions.RemoveEmptyEntries).Count(w => w.StartsWith("palavra", StringComparison.Ordinal)) <= 6, r));
        Assert.Contains("Item seguinte", text);
    }

    [Fact]
    public async Task A_description_longer_than_a_page_goes_on_over_the_next_page()
    {
        var words = Enumerable.Range(1, 1200).Select(i => $"termo{i:0000}").ToList();
        var document = Realistic() with { Lines = [new(1, string.Join(" ", words), 1, 5m, 0, 5m)] };

        var pages = Pages(await Text(QuotePdf.Render(document)));

        Assert.True(pages.Count > 1, $"{pages.Count} page(s)");
        var all = string.Join("\n", pages);
        Assert.All(words, word => Assert.Contains(word, all));
        Assert.Matches(@"Nº\s+Descrição", pages[1]);
    }

    [Fact]
    public void Quantities_drop_trailing_zeros_and_money_is_brazilian()
    {
        Assert.Equal("2", QuotePdf.Quantity(2.000m));
        Assert.Equal("1,5", QuotePdf.Quantity(1.500m));
        Assert.Equal("0,125", QuotePdf.Quantity(0.125m));
        Assert.Equal("1.000", QuotePdf.Quantity(1000m));
        Assert.Equal("R$ 1.234,56", QuotePdf.Money(1234.56m));
        Assert.Equal("R$ 0,50", QuotePdf.Money(0.5m));
        Assert.Equal("CPF 529.982.247-25", QuotePdf.TaxIdLine("529.982.247-25"));
        Assert.Equal("CNPJ 12.345.678/0001-95", QuotePdf.TaxIdLine("12.345.678/0001-95"));
        Assert.Equal("", QuotePdf.TaxIdLine(""));
    }

    [Fact]
    public void Registering_the_fonts_again_and_rendering_from_many_threads_is_fine()
    {
        QuoteFonts.Register();
        QuoteFonts.Register();
        PdfSharp.Fonts.GlobalFontSettings.FontResolver = PdfSharp.Fonts.GlobalFontSettings.FontResolver!;

        var results = new byte[8][];
        Parallel.For(0, results.Length, i => results[i] = QuotePdf.Render(Realistic(obsolete: i % 2 == 0)));

        Assert.All(results, bytes => Assert.Equal("%PDF-", Encoding.ASCII.GetString(bytes, 0, 5)));
    }

    /// <summary>The pages' text, split where pdftotext puts a form feed.</summary>
    private static List<string> Pages(string text) =>
        text.Split('\f').Where(p => !string.IsNullOrWhiteSpace(p)).ToList();

    private static async Task<string> Text(byte[] pdf)
    {
        var file = Temp(pdf);
        try
        {
            return await Poppler("pdftotext", "-layout", file, "-");
        }
        finally
        {
            File.Delete(file);
        }
    }

    private static string Temp(byte[] pdf)
    {
        var file = Path.Combine(Path.GetTempPath(), $"atende-quote-{Guid.NewGuid():N}.pdf");
        File.WriteAllBytes(file, pdf);
        return file;
    }

    /// <summary>Runs one of poppler-utils' tools (/usr/bin) and returns what it printed.</summary>
    private static async Task<string> Poppler(string tool, params string[] arguments)
    {
        var path = "/usr/bin/" + tool;
        if (!File.Exists(path))
        {
            var reason = $"{path} is missing: install poppler-utils to run the quote PDF tests.";
            if (Environment.GetEnvironmentVariable("ATENDE_REQUIRE_SERVICES") == "1")
            {
                Assert.Fail("ATENDE_REQUIRE_SERVICES=1 but " + reason);
            }
            Assert.Skip(reason);
        }
        var start = new ProcessStartInfo(path) { RedirectStandardOutput = true, RedirectStandardError = true, StandardOutputEncoding = Encoding.UTF8 };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync(Ct);
        var error = process.StandardError.ReadToEndAsync(Ct);
        await process.WaitForExitAsync(Ct);
        Assert.True(process.ExitCode == 0, $"{tool} failed: {await error}");
        return await output;
    }
}
