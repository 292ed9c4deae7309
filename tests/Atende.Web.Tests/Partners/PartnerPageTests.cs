using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using AngleSharp.Html.Dom;
using Atende.Web.Tests.Infrastructure;

namespace Atende.Web.Tests.Partners;

public abstract class PartnerPageTests(AppFixture fixture)
{
    private TestApp App => fixture.App;
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private static string Unique(string name) => $"{name} {Guid.NewGuid().ToString("N")[..6]}";

    private static string Value(IHtmlDocument page, string selector) => page.QuerySelector(selector) switch
    {
        IHtmlInputElement input => input.Value,
        IHtmlSelectElement select => select.Value ?? "",
        IHtmlTextAreaElement area => area.Value,
        _ => throw new InvalidOperationException("no field " + selector),
    };

    [Fact]
    public async Task Invalid_partner_form_shows_the_rule_next_to_the_field_and_keeps_what_was_typed()
    {
        var ws = await App.CreateWorkspace(fixture.AdminToken, Unique("Domínio Form"));
        using var browser = await App.LoggedIn();
        var response = await browser.SubmitForm("/partners/new", "form.card", new()
        {
            ["Input.Name"] = "Confeitaria Doce Lar", ["Input.WorkspaceId"] = ws.ToString(), ["Input.Code"] = "11.222.333/0001-82", ["Input.Notes"] = "<script>alert(1)</script> cliente antigo",
        });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var page = await HtmlClient.Parse(response);
        Assert.Equal("CNPJ inválido: dígitos verificadores não conferem.", page.QuerySelector("[data-valmsg-for='Input.Code']")!.TextContent.Trim());
        Assert.Equal("Confeitaria Doce Lar", Value(page, "#Input_Name"));
        Assert.Equal("11.222.333/0001-82", Value(page, "#Input_Code"));
        Assert.Equal(ws.ToString(), Value(page, "#Input_WorkspaceId"));
        Assert.Contains("<script>alert(1)</script> cliente antigo", Value(page, "#Input_Notes"), StringComparison.Ordinal);
        Assert.Empty(page.QuerySelectorAll("main script"));
    }

    [Fact]
    public async Task Partner_and_contact_created_through_the_forms_show_on_the_partner_page()
    {
        var ws = await App.CreateWorkspace(fixture.AdminToken, Unique("Domínio Páginas"));
        using var browser = await App.LoggedIn();
        var name = Unique("Padaria Pão Quente");
        var created = await browser.SubmitForm("/partners/new", "form.card", new()
        {
            ["Input.Name"] = name, ["Input.WorkspaceId"] = ws.ToString(), ["Input.Code"] = Documents.RandomCpf(), ["Input.Supplier"] = "true",
        }, submitName: "next", submitValue: "contact");
        Assert.Equal(HttpStatusCode.Redirect, created.StatusCode);
        var contactUrl = created.Headers.Location!.OriginalString;
        Assert.Matches(@"^/partners/\d+/contacts/new$", contactUrl);
        var partnerUrl = contactUrl[..contactUrl.IndexOf("/contacts", StringComparison.Ordinal)];

        // A bad e-mail keeps the whole contact form as typed.
        var refused = await browser.SubmitForm(contactUrl, "form.card", new()
        {
            ["Input.Name"] = "Joana Lima", ["Input.Phones[0].Country"] = "BR", ["Input.Phones[0].AreaCode"] = "21", ["Input.Phones[0].Number"] = "99876-5432",
            ["Input.Emails[0]"] = "joana@@padaria",
        });
        Assert.Equal(HttpStatusCode.OK, refused.StatusCode);
        var refusedPage = await HtmlClient.Parse(refused);
        Assert.Contains("E-mail inválido", refusedPage.Body!.TextContent, StringComparison.Ordinal);
        Assert.Equal("99876-5432", Value(refusedPage, "#phone_number_0"));
        Assert.Equal("joana@@padaria", Value(refusedPage, "#email_0"));

        var added = await browser.Submit((IHtmlFormElement)refusedPage.QuerySelector("form.card")!, contactUrl, new() { ["Input.Emails[0]"] = "joana@padaria.com.br" });
        Assert.Equal(HttpStatusCode.Redirect, added.StatusCode);
        var partnerPage = await browser.GetPage(partnerUrl);
        var text = partnerPage.Body!.TextContent;
        Assert.Contains(name, text, StringComparison.Ordinal);
        Assert.Contains("Fornecedor", text, StringComparison.Ordinal);
        Assert.Contains("Joana Lima", text, StringComparison.Ordinal);
        Assert.Contains("+55 (21) 99876-5432", text, StringComparison.Ordinal);
        Assert.Contains("joana@padaria.com.br", text, StringComparison.Ordinal);
        Assert.Contains("Contato \"Joana Lima\" adicionado.", text, StringComparison.Ordinal);

        var list = await browser.GetPage("/partners?q=" + Uri.EscapeDataString("pao quente"));
        Assert.Contains(name, list.QuerySelector("#results")!.TextContent, StringComparison.Ordinal);

        // Search as you type: htmx asks for the results only and gets a fragment, not a whole page.
        using var htmx = new HttpRequestMessage(HttpMethod.Get, "/partners?q=" + Uri.EscapeDataString("PAO QUENTE"));
        htmx.Headers.Add("HX-Request", "true");
        var fragment = await (await browser.SendAsync(htmx, Ct)).Content.ReadAsStringAsync(Ct);
        Assert.StartsWith("<div id=\"results\">", fragment.TrimStart(), StringComparison.Ordinal);
        Assert.DoesNotContain("<html", fragment, StringComparison.Ordinal);
        var parsed = new AngleSharp.Html.Parser.HtmlParser().ParseDocument(fragment);
        Assert.Contains(name, parsed.Body!.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Dates_show_in_the_company_time_zone_in_pt_BR_format()
    {
        var ws = await App.CreateWorkspace(fixture.AdminToken, Unique("Domínio Fuso"));
        using var api = App.Api(fixture.AdminToken);
        var company = await api.GetFromJsonAsync<JsonObject>("/api/v1/settings/company", Ct);
        var changed = await api.PutAsJsonAsync("/api/v1/settings/company", new { name = company!["name"]!.GetValue<string>(), email = (string?)null, timeZone = "America/Noronha" }, Ct);
        Assert.Equal(HttpStatusCode.OK, changed.StatusCode);
        try
        {
            var partner = await (await api.PostAsJsonAsync("/api/v1/partners", new { name = Unique("Fuso"), workspaceId = ws }, Ct)).Content.ReadFromJsonAsync<JsonObject>(Ct);
            var created = partner!["createdAt"]!.GetValue<DateTimeOffset>();
            var expected = created.ToUniversalTime().AddHours(-2).ToString("dd/MM/yyyy HH:mm", System.Globalization.CultureInfo.InvariantCulture);
            using var browser = await App.LoggedIn();
            var page = await browser.GetPage($"/partners/{partner["id"]}");
            Assert.Contains(expected, page.Body!.TextContent, StringComparison.Ordinal);
        }
        finally
        {
            await api.PutAsJsonAsync("/api/v1/settings/company", new { name = company["name"]!.GetValue<string>(), email = (string?)null, timeZone = "America/Sao_Paulo" }, Ct);
        }
    }

    [Fact]
    public async Task Forms_without_the_antiforgery_token_are_refused()
    {
        using var browser = await App.LoggedIn();
        var response = await browser.PostAsync("/partners/new", new FormUrlEncodedContent(new Dictionary<string, string> { ["Input.Name"] = "Sem token" }), Ct);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task Export_is_excel_friendly_and_formula_safe()
    {
        var ws = await App.CreateWorkspace(fixture.AdminToken, Unique("Domínio CSV"));
        using var api = App.Api(fixture.AdminToken);
        var partner = await (await api.PostAsJsonAsync("/api/v1/partners", new { name = "=HYPERLINK(\"http://x\")", workspaceId = ws }, Ct)).Content.ReadFromJsonAsync<JsonObject>(Ct);
        await api.PostAsJsonAsync($"/api/v1/partners/{partner!["id"]}/contacts", new { name = "@Contato; \"aspas\"", phones = new object[] { new { country = "BR", areaCode = "11", number = "3222-1111", type = "Fixed" } }, confirmDuplicates = true }, Ct);

        using var browser = await App.LoggedIn();
        var response = await browser.GetAsync($"/partners/export?workspaceId={ws}", Ct);
        Assert.Equal("text/csv", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("attachment", response.Content.Headers.ContentDisposition?.ToString(), StringComparison.Ordinal);
        var bytes = await response.Content.ReadAsByteArrayAsync(Ct);
        Assert.Equal(new byte[] { 0xEF, 0xBB, 0xBF }, bytes[..3]);
        var lines = Encoding.UTF8.GetString(bytes[3..]).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("Domínio;Nome;Código;", lines[0], StringComparison.Ordinal);
        Assert.Equal(2, lines.Length);
        Assert.Contains("\"'=HYPERLINK(\"\"http://x\"\")\"", lines[1], StringComparison.Ordinal);
        Assert.Contains("\"'@Contato; \"\"aspas\"\"\"", lines[1], StringComparison.Ordinal);
        Assert.Contains("'+55 (11) 3222-1111;Fixo", lines[1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Import_previews_then_imports_good_rows_and_reports_bad_ones()
    {
        var wsName = Unique("Domínio Importação");
        await App.CreateWorkspace(fixture.AdminToken, wsName);
        var good = Unique("Mercado Bom Preço");
        var cpf = Documents.RandomCpf();
        var csv = "Domínio;Nome;Código;Cliente;Fornecedor;Ativo;Observações;Contato;Telefone 1;Tipo 1;E-mails;Instagram\r\n"
            + $"{wsName};{good};{cpf};Sim;Não;Sim;;Carlos;'+55 (31) 98888-7777;Móvel;carlos@bompreco.com.br;@carlos\r\n"
            + $"{wsName};{good};{cpf};Sim;Não;Sim;;Denise;;;denise@bompreco.com.br;\r\n"
            + $"{wsName};Cadastro Ruim;123.456.789-00;Sim;Não;Sim;;;;;;\r\n"
            + $"Domínio Que Não Existe;Outra;;Sim;;;;;;;;\r\n";
        using var browser = await App.LoggedIn();
        var page = await browser.GetPage("/partners/import");
        var form = (IHtmlFormElement)page.QuerySelector("form[enctype='multipart/form-data']")!;
        using var upload = new MultipartFormDataContent
        {
            { new StringContent(((IHtmlInputElement)form.QuerySelector("input[name='__RequestVerificationToken']")!).Value), "__RequestVerificationToken" },
            { new StringContent(""), "WorkspaceId" },
            { new ByteArrayContent(Encoding.UTF8.GetBytes(csv)), "file", "entidades.csv" },
        };
        var preview = await HtmlClient.Parse(await browser.PostAsync("/partners/import?handler=Preview", upload, Ct));
        var previewText = preview.Body!.TextContent;
        Assert.Contains("Entidades: 1 nova, 0 atualizadas, 0 sem alteração, 2 com erro; contatos: 2 novos, 0 atualizados.", previewText, StringComparison.Ordinal);
        Assert.Contains("CPF inválido", previewText, StringComparison.Ordinal);
        Assert.Contains("Domínio \"Domínio Que Não Existe\" inexistente ou sem acesso.", previewText, StringComparison.Ordinal);

        using var api = App.Api(fixture.AdminToken);
        var before = await api.GetFromJsonAsync<JsonObject>($"/api/v1/partners?q={Uri.EscapeDataString(good)}", Ct);
        Assert.Empty(before!["items"]!.AsArray());

        var confirm = (IHtmlFormElement)preview.QuerySelector("form[action*='handler=Import']")!;
        var imported = await browser.Submit(confirm, "/partners/import", []);
        Assert.Equal(HttpStatusCode.OK, imported.StatusCode);
        Assert.Contains("Importação concluída: 1 nova, 0 atualizadas, 0 sem alteração, 2 com erro; contatos: 2 novos, 0 atualizados; 2 linhas com erro",
            (await HtmlClient.Parse(imported)).Body!.TextContent, StringComparison.Ordinal);

        var after = await api.GetFromJsonAsync<JsonObject>($"/api/v1/partners?q={Uri.EscapeDataString(good)}", Ct);
        var id = after!["items"]!.AsArray().Single()!["id"]!.GetValue<long>();
        var contacts = await api.GetFromJsonAsync<JsonObject>($"/api/v1/partners/{id}/contacts", Ct);
        var carlos = contacts!["items"]!.AsArray().Single(c => c!["name"]!.GetValue<string>() == "Carlos")!;
        Assert.Equal("+5531988887777", carlos["phones"]![0]!["e164"]!.GetValue<string>());
        Assert.Equal("Instagram", carlos["socialProfiles"]![0]!["network"]!.GetValue<string>());
    }
}

public sealed class PartnerPageTestsSqlite(SqliteFixture fixture) : PartnerPageTests(fixture), IClassFixture<SqliteFixture>;

public sealed class PartnerPageTestsPostgres(PostgresFixture fixture) : PartnerPageTests(fixture), IClassFixture<PostgresFixture>;
