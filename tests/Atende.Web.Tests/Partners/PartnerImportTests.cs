using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using AngleSharp.Html.Dom;
using Atende.Core.Data;
using Atende.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MiniExcelLibs;

namespace Atende.Web.Tests.Partners;

/// <summary>
/// Spreadsheets in and out: CSV in UTF-8 or Windows-1252 (detected), XLSX, unknown columns named, zeros kept, re-imports that
/// update (and change nothing when nothing changed), every error of a row, and bad files answered in words.
/// </summary>
public abstract partial class PartnerImportTests(AppFixture fixture)
{
    private const string XlsxType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
    private static readonly Encoding Windows1252 = CodePagesEncodingProvider.Instance.GetEncoding(1252)!;

    private TestApp App => fixture.App;
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private static string Unique(string name) => $"{name} {Guid.NewGuid().ToString("N")[..6]}";

    /// <summary>A free code made of digits with leading zeros, unique enough not to meet another test's partner.</summary>
    private static string ZeroCode() => "000" + Random.Shared.Next(100000, 999999);

    [GeneratedRegex(@"\s+")]
    private static partial Regex Spaces();

    private static string Text(AngleSharp.Dom.IElement? element) => Spaces().Replace(element?.TextContent ?? "", " ").Trim();

    /// <summary>Uploads a file to the import page's preview as its form does.</summary>
    private static async Task<(HttpResponseMessage Response, IHtmlDocument Page)> Upload(HttpClient browser, byte[] file, string fileName, long? workspaceId = null)
    {
        var page = await browser.GetPage("/partners/import");
        var form = (IHtmlFormElement)page.QuerySelector("form[enctype='multipart/form-data']")!;
        using var upload = new MultipartFormDataContent
        {
            { new StringContent(((IHtmlInputElement)form.QuerySelector("input[name='__RequestVerificationToken']")!).Value), "__RequestVerificationToken" },
            { new StringContent(workspaceId?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? ""), "WorkspaceId" },
            { new ByteArrayContent(file), "file", fileName },
        };
        var response = await browser.PostAsync("/partners/import?handler=Preview", upload, Ct);
        return (response, await HtmlClient.Parse(response));
    }

    private static async Task<IHtmlDocument> Preview(HttpClient browser, byte[] file, string fileName, long? workspaceId = null)
    {
        var (response, page) = await Upload(browser, file, fileName, workspaceId);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(page.QuerySelector("#file-error") is null, Text(page.QuerySelector("#file-error")));
        return page;
    }

    /// <summary>Presses the preview's import button: its form is multipart, as a browser posts it.</summary>
    private static async Task<IHtmlDocument> Confirm(HttpClient browser, IHtmlDocument preview)
    {
        var form = (IHtmlFormElement)(preview.QuerySelector("form[action*='handler=Import']") ?? throw new InvalidOperationException("no import button: " + Text(preview.Body)));
        Assert.Equal("multipart/form-data", form.Enctype);
        using var content = new MultipartFormDataContent();
        foreach (var input in form.QuerySelectorAll("input[name]").Cast<IHtmlInputElement>())
        {
            content.Add(new StringContent(input.Value), input.Name!);
        }
        var response = await browser.PostAsync(form.GetAttribute("action"), content, Ct);
        if (response.StatusCode == HttpStatusCode.Redirect)
        {
            return await browser.GetPage(response.Headers.Location!.OriginalString);
        }
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await HtmlClient.Parse(response);
    }

    /// <summary>The errors the preview lists for a line of the file.</summary>
    private static List<string> RowErrors(IHtmlDocument preview, int line) =>
        preview.QuerySelectorAll("tbody tr").Single(tr => Text(tr.QuerySelector("td")) == line.ToString(System.Globalization.CultureInfo.InvariantCulture))
            .QuerySelectorAll("li").Select(li => Text(li)).ToList();

    private async Task<JsonObject> Partner(HttpClient api, long workspaceId, string name)
    {
        var list = await api.GetFromJsonAsync<JsonObject>($"/api/v1/partners?workspaceId={workspaceId}&limit=200", Ct);
        var id = list!["items"]!.AsArray().Single(i => i!["name"]!.GetValue<string>() == name)!["id"]!.GetValue<long>();
        return (await api.GetFromJsonAsync<JsonObject>($"/api/v1/partners/{id}", Ct))!;
    }

    private async Task<JsonArray> Contacts(HttpClient api, long partnerId) =>
        (await api.GetFromJsonAsync<JsonObject>($"/api/v1/partners/{partnerId}/contacts", Ct))!["items"]!.AsArray();

    private static async Task<JsonObject> Json(HttpResponseMessage response, HttpStatusCode status)
    {
        var body = await response.Content.ReadAsStringAsync(Ct);
        Assert.True(response.StatusCode == status, $"expected {(int)status}, got {(int)response.StatusCode}: {body}");
        return JsonNode.Parse(body)!.AsObject();
    }

    private static async Task<JsonObject> ApiImport(HttpClient api, byte[] file, string contentType, long workspaceId, bool dryRun = false)
    {
        using var body = new ByteArrayContent(file);
        body.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        return await Json(await api.PostAsync($"/api/v1/partners/import?workspaceId={workspaceId}&dryRun={(dryRun ? "true" : "false")}", body, Ct), HttpStatusCode.OK);
    }

    /// <summary>How many events (the feed, webhooks) were raised about these partners.</summary>
    private async Task<int> EventsAbout(params long[] partnerIds)
    {
        using var scope = App.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<AtendeDb>();
        return await db.Events.CountAsync(e => e.PartnerId != null && partnerIds.Contains(e.PartnerId.Value), Ct);
    }

    private static byte[] Xlsx(IEnumerable<Dictionary<string, object?>> rows)
    {
        using var stream = new MemoryStream();
        MiniExcel.SaveAs(stream, rows);
        return stream.ToArray();
    }

    [Fact]
    public async Task Windows_1252_file_from_excel_imports_its_accents_and_the_preview_says_so()
    {
        var ws = await App.CreateWorkspace(fixture.AdminToken, Unique("Domínio Excel"));
        var name = Unique("Ação Contábil");
        var code = ZeroCode();
        var csv = "Nome;Código;Observações;Cidade;UF;Contato;Telefone 1;Tipo 1\r\n"
            + $"{name};{code};Cliente desde 2019, São João;São João del-Rei;MG;Conceição Araújo;(32) 3371-1234;Fixo\r\n";
        var bytes = Windows1252.GetBytes(csv);
        Assert.Throws<DecoderFallbackException>(() => new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes));

        using var browser = await App.LoggedIn();
        var preview = await Preview(browser, bytes, "entidades.csv", ws);
        Assert.Equal("Lido como Windows-1252 (Excel) (entidades.csv).", Text(preview.QuerySelector("#read-as")));
        Assert.Contains(name, Text(preview.QuerySelector("tbody")), StringComparison.Ordinal);
        Assert.Contains("Conceição Araújo", Text(preview.QuerySelector("tbody")), StringComparison.Ordinal);
        Assert.DoesNotContain("\uFFFD", preview.Body!.TextContent, StringComparison.Ordinal);
        Assert.Null(preview.QuerySelector("#ignored-columns"));

        var done = await Confirm(browser, preview);
        Assert.Contains("Importação concluída: 1 nova", Text(done.Body), StringComparison.Ordinal);
        using var api = App.Api(fixture.AdminToken);
        var partner = await Partner(api, ws, name);
        Assert.Equal(code, partner["code"]!.GetValue<string>());
        Assert.Equal("Cliente desde 2019, São João", partner["notes"]!.GetValue<string>());
        Assert.Equal("São João del-Rei", partner["address"]!["city"]!.GetValue<string>());
        var contact = (await Contacts(api, partner["id"]!.GetValue<long>())).Single()!;
        Assert.Equal("Conceição Araújo", contact["name"]!.GetValue<string>());
        Assert.Equal("+553233711234", contact["phones"]![0]!["e164"]!.GetValue<string>());
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Utf8_with_or_without_bom_reads_as_utf8(bool bom)
    {
        var ws = await App.CreateWorkspace(fixture.AdminToken, Unique("Domínio UTF-8"));
        var name = Unique("São João Padaria");
        var csv = $"Nome;Observações\n{name};Conceição, coração\n";
        byte[] bytes = [.. (bom ? new byte[] { 0xEF, 0xBB, 0xBF } : []), .. Encoding.UTF8.GetBytes(csv)];

        using var browser = await App.LoggedIn();
        var preview = await Preview(browser, bytes, "utf8.csv", ws);
        Assert.Equal("Lido como UTF-8 (utf8.csv).", Text(preview.QuerySelector("#read-as")));
        await Confirm(browser, preview);
        using var api = App.Api(fixture.AdminToken);
        var partner = await Partner(api, ws, name);
        Assert.Equal("Conceição, coração", partner["notes"]!.GetValue<string>());
    }

    [Fact]
    public async Task Unknown_columns_are_named_and_codes_keep_their_leading_zeros()
    {
        var ws = await App.CreateWorkspace(fixture.AdminToken, Unique("Domínio Colunas"));
        var name = Unique("Zeros à Esquerda");
        var code = ZeroCode();
        var csv = $"Nome;Foo;Código;CEP;Bar\n{name};x;{code};01310100;y\n";

        using var browser = await App.LoggedIn();
        var preview = await Preview(browser, Encoding.UTF8.GetBytes(csv), "colunas.csv", ws);
        Assert.StartsWith("Colunas ignoradas: Foo, Bar.", Text(preview.QuerySelector("#ignored-columns")), StringComparison.Ordinal);
        await Confirm(browser, preview);
        using var api = App.Api(fixture.AdminToken);
        var partner = await Partner(api, ws, name);
        Assert.Equal(code, partner["code"]!.GetValue<string>());
        Assert.Equal("01310-100", partner["address"]!["postalCode"]!.GetValue<string>());
    }

    [Fact]
    public async Task Xlsx_imports_text_cells_as_typed_and_numbers_in_full()
    {
        var ws = await App.CreateWorkspace(fixture.AdminToken, Unique("Domínio XLSX"));
        var name = Unique("Planilha Ação");
        var code = ZeroCode();
        var file = Xlsx([new()
        {
            ["Nome"] = name, ["Código"] = code, ["CEP"] = "04538133", ["Ativo"] = true, ["Observações"] = "Conceição",
            ["Contato"] = "Joana", ["Telefone 1"] = 11987654321L, ["Tipo 1"] = "Móvel", ["Extra"] = 1.5,
        }]);

        using var browser = await App.LoggedIn();
        var preview = await Preview(browser, file, "entidades.xlsx", ws);
        Assert.Equal("Lido como planilha XLSX (entidades.xlsx).", Text(preview.QuerySelector("#read-as")));
        Assert.StartsWith("Colunas ignoradas: Extra.", Text(preview.QuerySelector("#ignored-columns")), StringComparison.Ordinal);
        Assert.Contains("Entidades: 1 nova, 0 atualizadas, 0 sem alteração, 0 com erro; contatos: 1 novo, 0 atualizados.", Text(preview.QuerySelector("#import-summary")), StringComparison.Ordinal);
        await Confirm(browser, preview);

        using var api = App.Api(fixture.AdminToken);
        var partner = await Partner(api, ws, name);
        Assert.Equal(code, partner["code"]!.GetValue<string>());
        Assert.Equal("04538-133", partner["address"]!["postalCode"]!.GetValue<string>());
        Assert.True(partner["active"]!.GetValue<bool>());
        Assert.Equal("Conceição", partner["notes"]!.GetValue<string>());
        var joana = (await Contacts(api, partner["id"]!.GetValue<long>())).Single()!;
        Assert.Equal("+5511987654321", joana["phones"]![0]!["e164"]!.GetValue<string>());
    }

    [Fact]
    public async Task Exported_spreadsheets_import_back_changing_nothing_and_an_edited_cell_updates_only_its_partner()
    {
        var ws = await App.CreateWorkspace(fixture.AdminToken, Unique("Domínio Ida e Volta"));
        using var api = App.Api(fixture.AdminToken);
        var first = await Json(await api.PostAsJsonAsync("/api/v1/partners", new
        {
            name = Unique("Ação Exportada"), workspaceId = ws, code = Documents.RandomCpf(), notes = "Nota com acentuação",
            stateRegistration = "110.042.490.114",
            address = new { postalCode = "01310100", street = "Av. Paulista", number = "1000", district = "Bela Vista", city = "São Paulo", state = "SP" },
        }, Ct), HttpStatusCode.Created);
        var second = await Json(await api.PostAsJsonAsync("/api/v1/partners", new
        {
            name = Unique("Fornecedora Sem Contato"), workspaceId = ws, code = ZeroCode(), roles = new[] { "Supplier" }, active = false,
        }, Ct), HttpStatusCode.Created);
        var firstId = first["id"]!.GetValue<long>();
        var secondId = second["id"]!.GetValue<long>();
        foreach (var contact in new object[]
        {
            new
            {
                name = "Conceição", phones = new[] { new { country = "BR", areaCode = "11", number = "32221111", type = "Fixed" }, new { country = "BR", areaCode = "11", number = "987654321", type = "Mobile" } },
                emails = new[] { $"conceicao{Guid.NewGuid():N}@acao.com.br" }, socialProfiles = new[] { new { network = "Instagram", handle = "@conceicao" } },
                confirmDuplicates = true,
            },
            new { name = "João", phones = Array.Empty<object>(), emails = new[] { $"joao{Guid.NewGuid():N}@acao.com.br" }, socialProfiles = Array.Empty<object>() },
        })
        {
            await Json(await api.PostAsJsonAsync($"/api/v1/partners/{firstId}/contacts", contact, Ct), HttpStatusCode.Created);
        }

        async Task<string> State() => string.Join("\n", await Task.WhenAll(new[] { firstId, secondId }.Select(async id =>
            (await api.GetStringAsync($"/api/v1/partners/{id}", Ct)) + (await api.GetStringAsync($"/api/v1/partners/{id}/contacts", Ct)))));
        var before = await State();
        var events = await EventsAbout(firstId, secondId);

        // CSV through the page: all matched, nothing to write.
        var csv = await api.GetByteArrayAsync($"/api/v1/partners/export?workspaceId={ws}", Ct);
        using var browser = await App.LoggedIn();
        var preview = await Preview(browser, csv, "entidades.csv");
        Assert.Equal("Lido como UTF-8 (entidades.csv).", Text(preview.QuerySelector("#read-as")));
        Assert.Contains("Entidades: 0 novas, 0 atualizadas, 2 sem alteração, 0 com erro; contatos: 0 novos, 0 atualizados.", Text(preview.QuerySelector("#import-summary")), StringComparison.Ordinal);
        Assert.Contains("Nada a gravar", Text(preview.Body), StringComparison.Ordinal);
        Assert.Null(preview.QuerySelector("form[action*='handler=Import']"));

        // The same file and the XLSX export, imported for real through the API: still nothing changes.
        var report = await ApiImport(api, csv, "text/csv", ws);
        Assert.Equal((0, 0, 2, 0), (report["partnersCreated"]!.GetValue<int>(), report["partnersUpdated"]!.GetValue<int>(), report["partnersUnchanged"]!.GetValue<int>(), report["rowsWithErrors"]!.GetValue<int>()));
        Assert.All(report["rows"]!.AsArray(), r => Assert.Equal("Unchanged", r!["outcome"]!.GetValue<string>()));
        var xlsxResponse = await api.GetAsync($"/api/v1/partners/export?workspaceId={ws}&format=xlsx", Ct);
        Assert.True(XlsxType == xlsxResponse.Content.Headers.ContentType!.MediaType, await xlsxResponse.Content.ReadAsStringAsync(Ct));
        var xlsx = await xlsxResponse.Content.ReadAsByteArrayAsync(Ct);
        var sheet = MiniExcel.Query(new MemoryStream(xlsx), useHeaderRow: true).Cast<IDictionary<string, object?>>().ToList();
        Assert.Equal(second["code"]!.GetValue<string>(), sheet.Single(r => (double)r["Id"]! == secondId)["Código"]);
        Assert.Equal("+55 (11) 3222-1111", sheet.First(r => (double)r["Id"]! == firstId)["Telefone 1"]);
        report = await ApiImport(api, xlsx, XlsxType, ws);
        Assert.Equal("Xlsx", report["readAs"]!.GetValue<string>());
        Assert.Equal((0, 0, 2), (report["partnersCreated"]!.GetValue<int>(), report["partnersUpdated"]!.GetValue<int>(), report["partnersUnchanged"]!.GetValue<int>()));
        Assert.Equal(before, await State());
        Assert.Equal(events, await EventsAbout(firstId, secondId));

        // One edited cell updates that partner only, through the same path as the form (one partner.updated).
        var edited = Encoding.UTF8.GetString(csv).Replace("Nota com acentuação", "Nota alterada na planilha", StringComparison.Ordinal);
        preview = await Preview(browser, Encoding.UTF8.GetBytes(edited), "entidades.csv");
        Assert.Contains("Entidades: 0 novas, 1 atualizada, 1 sem alteração, 0 com erro", Text(preview.QuerySelector("#import-summary")), StringComparison.Ordinal);
        var done = await Confirm(browser, preview);
        Assert.Contains("Importação concluída: 0 novas, 1 atualizada, 1 sem alteração", Text(done.Body), StringComparison.Ordinal);
        var updated = await api.GetFromJsonAsync<JsonObject>($"/api/v1/partners/{firstId}", Ct);
        Assert.Equal("Nota alterada na planilha", updated!["notes"]!.GetValue<string>());
        Assert.Equal(first["version"]!.GetValue<int>() + 3, updated["version"]!.GetValue<int>()); // two contacts added, then this edit
        Assert.Equal("São Paulo", updated["address"]!["city"]!.GetValue<string>());
        Assert.Equal(2, (await Contacts(api, firstId)).Count);
        Assert.Equal(events + 1, await EventsAbout(firstId, secondId));
    }

    [Fact]
    public async Task A_row_lists_every_one_of_its_errors()
    {
        var wsName = Unique("Domínio Erros");
        var ws = await App.CreateWorkspace(fixture.AdminToken, wsName);
        var csv = "Domínio;Nome;Código;CEP;UF;Contato;E-mails\n"
            + $"{wsName};{Unique("Dois Erros")};123.456.789-00;123;XX;Ana;ana@@x\n"
            + $"{Unique("Domínio Que Não Existe")};{Unique("Outro")};111.111.111-11;;;;\n";

        using var browser = await App.LoggedIn();
        var preview = await Preview(browser, Encoding.UTF8.GetBytes(csv), "erros.csv", ws);
        var errors = RowErrors(preview, 2);
        Assert.Contains(errors, e => e.StartsWith("CPF inválido", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("CEP inválido", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("UF inválida", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("E-mail inválido", StringComparison.Ordinal));
        var unknown = RowErrors(preview, 3);
        Assert.Contains(unknown, e => e.Contains("inexistente ou sem acesso", StringComparison.Ordinal));
        Assert.Contains(unknown, e => e.StartsWith("CPF inválido", StringComparison.Ordinal));
        Assert.Contains("Entidades: 0 novas, 0 atualizadas, 0 sem alteração, 2 com erro", Text(preview.QuerySelector("#import-summary")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Formula_and_html_cells_are_kept_as_plain_text()
    {
        var ws = await App.CreateWorkspace(fixture.AdminToken, Unique("Domínio Fórmulas"));
        var name = "=HYPERLINK(\"http://x\",\"clique\") " + Guid.NewGuid().ToString("N")[..6];
        var csv = "Nome;Observações;Contato;Instagram\n"
            + $"\"{name.Replace("\"", "\"\"", StringComparison.Ordinal)}\";<script>alert(1)</script><b>negrito</b>;@Contato;@fulano\n";

        using var browser = await App.LoggedIn();
        var preview = await Preview(browser, Encoding.UTF8.GetBytes(csv), "formulas.csv", ws);
        Assert.Empty(preview.QuerySelectorAll("main script, main b"));
        Assert.Contains(name, Text(preview.QuerySelector("tbody")), StringComparison.Ordinal);
        await Confirm(browser, preview);

        using var api = App.Api(fixture.AdminToken);
        var partner = await Partner(api, ws, name);
        Assert.Equal("<script>alert(1)</script><b>negrito</b>", partner["notes"]!.GetValue<string>());
        var export = Encoding.UTF8.GetString(await api.GetByteArrayAsync($"/api/v1/partners/export?workspaceId={ws}", Ct));
        Assert.Contains("\"'=HYPERLINK(", export, StringComparison.Ordinal);
        Assert.Contains(";'@Contato;", export, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bad_files_are_answered_with_a_message_on_the_page_and_in_the_api()
    {
        var ws = await App.CreateWorkspace(fixture.AdminToken, Unique("Domínio Arquivos Ruins"));
        var goodXlsx = Xlsx([new() { ["Nome"] = "Qualquer" }]);
        using var docx = new MemoryStream();
        using (var zip = new ZipArchive(docx, ZipArchiveMode.Create, leaveOpen: true))
        {
            using var entry = new StreamWriter(zip.CreateEntry("word/document.xml").Open());
            entry.Write("<w:document/>");
        }
        var huge = Encoding.UTF8.GetBytes("Nome;Observações\n" + string.Concat(Enumerable.Repeat("Nome;" + new string('x', 1000) + "\n", 3200)));
        (string File, byte[] Bytes, string Message)[] cases =
        [
            ("vazio.csv", [], "O arquivo está vazio."),
            ("foto.png", [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 0x0D, 0x49, 0x48, 0x44, 0x52], "O arquivo não é uma planilha CSV nem XLSX."),
            ("lixo.xlsx", [.. "PK\u0003\u0004"u8, .. Encoding.ASCII.GetBytes(new string('z', 300))], "A planilha XLSX está corrompida ou incompleta"),
            ("cortada.xlsx", goodXlsx[..(goodXlsx.Length / 2)], "A planilha XLSX está corrompida ou incompleta"),
            ("texto.docx", docx.ToArray(), "O arquivo é compactado (ZIP) mas não é uma planilha XLSX."),
            ("antiga.xls", [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, .. new byte[512]], "Planilha do Excel 97-2003 (.xls) não é aceita"),
            ("grande.csv", huge, "O arquivo pode ter no máximo 3 MB."),
            ("outra.csv", Encoding.UTF8.GetBytes("Foo;Bar\n1;2\n"), "Cabeçalho sem a coluna \"Nome\"."),
        ];
        Assert.True(huge.Length > 3 * 1024 * 1024);

        using var browser = await App.LoggedIn();
        using var api = App.Api(fixture.AdminToken);
        foreach (var (file, bytes, message) in cases)
        {
            var (response, page) = await Upload(browser, bytes, file, ws);
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{file}: {(int)response.StatusCode}");
            Assert.StartsWith(message, Text(page.QuerySelector("#file-error")), StringComparison.Ordinal);
            Assert.Null(page.QuerySelector("#import-summary"));

            using var body = new ByteArrayContent(bytes);
            body.Headers.ContentType = MediaTypeHeaderValue.Parse(file.EndsWith(".csv", StringComparison.Ordinal) ? "text/csv" : XlsxType);
            var problem = await Json(await api.PostAsync($"/api/v1/partners/import?workspaceId={ws}", body, Ct), HttpStatusCode.BadRequest);
            Assert.StartsWith(message, problem["errors"]!["file"]![0]!.GetValue<string>(), StringComparison.Ordinal);
        }
        var list = await api.GetFromJsonAsync<JsonObject>($"/api/v1/partners?workspaceId={ws}", Ct);
        Assert.Empty(list!["items"]!.AsArray());
    }

    [Fact]
    public async Task A_file_of_the_largest_size_taken_goes_from_the_preview_to_the_import()
    {
        var ws = await App.CreateWorkspace(fixture.AdminToken, Unique("Domínio 3 MB"));
        var name = Unique("Arquivo Grande");
        var head = Encoding.UTF8.GetBytes($"Nome;Sobra\n{name};");
        var file = new byte[3 * 1024 * 1024];
        head.CopyTo(file, 0);
        file.AsSpan(head.Length).Fill((byte)'x');

        using var browser = await App.LoggedIn();
        var preview = await Preview(browser, file, "grande.csv", ws);
        Assert.StartsWith("Colunas ignoradas: Sobra.", Text(preview.QuerySelector("#ignored-columns")), StringComparison.Ordinal);
        var done = await Confirm(browser, preview);
        Assert.Contains("Importação concluída: 1 nova", Text(done.Body), StringComparison.Ordinal);
        using var api = App.Api(fixture.AdminToken);
        Assert.Equal(name, (await Partner(api, ws, name))["name"]!.GetValue<string>());
    }

    [Fact]
    public async Task Api_imports_xlsx_and_a_second_import_matches_by_code()
    {
        var ws = await App.CreateWorkspace(fixture.AdminToken, Unique("Domínio API XLSX"));
        using var api = App.Api(fixture.AdminToken);
        var name = Unique("Importada XLSX");
        var code = ZeroCode();
        Dictionary<string, object?> Row(string notes) => new() { ["Nome"] = name, ["Código"] = code, ["Observações"] = notes, ["Cor"] = "azul" };

        var created = await ApiImport(api, Xlsx([Row("primeira")]), XlsxType, ws);
        Assert.Equal("Xlsx", created["readAs"]!.GetValue<string>());
        Assert.Equal(["Cor"], created["ignoredColumns"]!.AsArray().Select(c => c!.GetValue<string>()));
        Assert.Equal(1, created["partnersCreated"]!.GetValue<int>());
        var again = await ApiImport(api, Xlsx([Row("primeira")]), XlsxType, ws);
        Assert.Equal((0, 0, 1), (again["partnersCreated"]!.GetValue<int>(), again["partnersUpdated"]!.GetValue<int>(), again["partnersUnchanged"]!.GetValue<int>()));
        var changed = await ApiImport(api, Xlsx([Row("segunda")]), XlsxType, ws);
        Assert.True((0, 1) == (changed["partnersCreated"]!.GetValue<int>(), changed["partnersUpdated"]!.GetValue<int>()), changed.ToJsonString());
        var partner = await Partner(api, ws, name);
        Assert.Equal("segunda", partner["notes"]!.GetValue<string>());
        Assert.Equal(2, partner["version"]!.GetValue<int>());
    }
}

public sealed class PartnerImportTestsSqlite(SqliteFixture fixture) : PartnerImportTests(fixture), IClassFixture<SqliteFixture>;

public sealed class PartnerImportTestsPostgres(PostgresFixture fixture) : PartnerImportTests(fixture), IClassFixture<PostgresFixture>;
