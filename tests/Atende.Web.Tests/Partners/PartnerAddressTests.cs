using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using AngleSharp.Html.Dom;
using Atende.Web.Tests.Infrastructure;

namespace Atende.Web.Tests.Partners;

/// <summary>A partner's address and Inscrição Estadual (NF-e data): API, form, details page and CSV.</summary>
public abstract class PartnerAddressTests(AppFixture fixture)
{
    private TestApp App => fixture.App;
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private static string Unique(string name) => $"{name} {Guid.NewGuid().ToString("N")[..6]}";

    private static readonly object Paulista = new
    {
        postalCode = "01310100", street = " Av.  Paulista ", number = "1000", complement = "Conj. 12", district = "Bela Vista", city = "São Paulo", state = "sp",
    };

    private async Task<(HttpClient Api, long WorkspaceId)> AdminWithWorkspace()
    {
        var api = App.Api(fixture.AdminToken);
        return (api, await App.CreateWorkspace(fixture.AdminToken, Unique("Domínio Endereço")));
    }

    private static async Task<JsonObject> Json(HttpResponseMessage response, HttpStatusCode status)
    {
        var body = await response.Content.ReadAsStringAsync(Ct);
        Assert.True(response.StatusCode == status, $"expected {(int)status}, got {(int)response.StatusCode}: {body}");
        return JsonNode.Parse(body)!.AsObject();
    }

    private static async Task<HttpResponseMessage> Patch(HttpClient api, long id, int version, object body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Patch, $"/api/v1/partners/{id}") { Content = JsonContent.Create(body) };
        request.Headers.TryAddWithoutValidation("If-Match", $"\"{version}\"");
        return await api.SendAsync(request, Ct);
    }

    private static string S(JsonNode? node) => node!.GetValue<string>();

    [Fact]
    public async Task Create_stores_the_address_formatted_and_ISENTO_and_a_partner_without_them_answers_null()
    {
        var (api, ws) = await AdminWithWorkspace();
        var created = await Json(await api.PostAsJsonAsync("/api/v1/partners",
            new { name = Unique("Livraria Paulista"), workspaceId = ws, stateRegistration = "isento", address = Paulista }, Ct), HttpStatusCode.Created);
        Assert.Equal("ISENTO", S(created["stateRegistration"]));
        var address = created["address"]!;
        Assert.Equal("01310-100", S(address["postalCode"]));
        Assert.Equal("Av. Paulista", S(address["street"]));
        Assert.Equal("Conj. 12", S(address["complement"]));
        Assert.Equal("SP", S(address["state"]));

        var read = await api.GetFromJsonAsync<JsonObject>($"/api/v1/partners/{created["id"]}", Ct);
        Assert.Equal("01310-100", S(read!["address"]!["postalCode"]));
        Assert.Equal("Bela Vista", S(read["address"]!["district"]));

        var plain = await Json(await api.PostAsJsonAsync("/api/v1/partners", new { name = Unique("Sem Endereço"), workspaceId = ws }, Ct), HttpStatusCode.Created);
        Assert.Null(plain["address"]);
        Assert.Equal("", S(plain["stateRegistration"]));
    }

    [Fact]
    public async Task Each_invalid_field_is_named_in_the_problem_and_nothing_is_saved()
    {
        var (api, ws) = await AdminWithWorkspace();
        var problem = await Json(await api.PostAsJsonAsync("/api/v1/partners", new
        {
            name = Unique("Endereço Errado"), workspaceId = ws, stateRegistration = "123 456",
            address = new { postalCode = "0131010", street = new string('r', 61), number = "10", state = "XX", city = "São Paulo" },
        }, Ct), HttpStatusCode.BadRequest);
        var errors = problem["errors"]!.AsObject();
        Assert.Equal("CEP inválido: use 8 dígitos, como 01310-100.", S(errors["address.postalCode"]![0]));
        Assert.StartsWith("UF inválida", S(errors["address.state"]![0]), StringComparison.Ordinal);
        Assert.Equal("Logradouro pode ter no máximo 60 caracteres.", S(errors["address.street"]![0]));
        Assert.StartsWith("Inscrição estadual inválida", S(errors["stateRegistration"]![0]), StringComparison.Ordinal);
        Assert.Equal(["address.postalCode", "address.state", "address.street", "stateRegistration"], errors.Select(e => e.Key).Order(StringComparer.Ordinal));

        var wrongType = await Json(await api.PostAsJsonAsync("/api/v1/partners", new { name = "X", workspaceId = ws, address = new { postalCode = 1310100 } }, Ct),
            HttpStatusCode.BadRequest);
        Assert.Contains("address.postalCode", wrongType["errors"]!.AsObject().Select(e => e.Key));
        var unknown = await Json(await api.PostAsJsonAsync("/api/v1/partners", new { name = "X", workspaceId = ws, address = new { cep = "01310100" } }, Ct),
            HttpStatusCode.BadRequest);
        Assert.Contains("address.cep", unknown["errors"]!.AsObject().Select(e => e.Key));

        var list = await api.GetFromJsonAsync<JsonObject>($"/api/v1/partners?workspaceId={ws}", Ct);
        Assert.Empty(list!["items"]!.AsArray());
    }

    [Fact]
    public async Task Patch_merges_the_address_moves_the_version_and_null_clears_it()
    {
        var (api, ws) = await AdminWithWorkspace();
        var created = await Json(await api.PostAsJsonAsync("/api/v1/partners",
            new { name = Unique("Papelaria"), workspaceId = ws, stateRegistration = "110.042.490.114", address = Paulista }, Ct), HttpStatusCode.Created);
        var id = created["id"]!.GetValue<long>();

        var moved = await Json(await Patch(api, id, 1, new { address = new { number = "2000", complement = (string?)null } }), HttpStatusCode.OK);
        Assert.Equal(2, moved["version"]!.GetValue<int>());
        Assert.Equal("2000", S(moved["address"]!["number"]));
        Assert.Equal("", S(moved["address"]!["complement"]));
        Assert.Equal("Av. Paulista", S(moved["address"]!["street"]));
        Assert.Equal("01310-100", S(moved["address"]!["postalCode"]));
        Assert.Equal("110.042.490.114", S(moved["stateRegistration"]));

        // A bad CEP is named and changes nothing.
        var refused = await Json(await Patch(api, id, 2, new { address = new { postalCode = "abc" }, notes = "não salvar" }), HttpStatusCode.BadRequest);
        Assert.Contains("address.postalCode", refused["errors"]!.AsObject().Select(e => e.Key));
        var unchanged = await api.GetFromJsonAsync<JsonObject>($"/api/v1/partners/{id}", Ct);
        Assert.Equal(2, unchanged!["version"]!.GetValue<int>());
        Assert.Equal("01310-100", S(unchanged["address"]!["postalCode"]));
        Assert.Equal("", S(unchanged["notes"]));

        var cleared = await Json(await Patch(api, id, 2, new { address = (object?)null, stateRegistration = "" }), HttpStatusCode.OK);
        Assert.Null(cleared["address"]);
        Assert.Equal("", S(cleared["stateRegistration"]));
        Assert.Equal(3, cleared["version"]!.GetValue<int>());
    }

    [Fact]
    public async Task The_form_saves_the_address_and_the_details_page_shows_it()
    {
        var ws = await App.CreateWorkspace(fixture.AdminToken, Unique("Domínio Form Endereço"));
        using var browser = await App.LoggedIn();
        var form = await browser.GetPage("/partners/new");
        Assert.Equal("numeric", form.QuerySelector("#Input_Address_PostalCode")!.GetAttribute("inputmode"));
        var ufs = form.QuerySelectorAll("#Input_Address_State option").Select(o => o.GetAttribute("value")).ToList();
        Assert.Equal(28, ufs.Count);
        Assert.Equal("", ufs[0]);
        Assert.Contains("DF", ufs);

        var name = Unique("Farmácia Boa Vista");
        var saved = await browser.SubmitForm("/partners/new", "form.card", new()
        {
            ["Input.Name"] = name, ["Input.WorkspaceId"] = ws.ToString(), ["Input.StateRegistration"] = "Isento",
            ["Input.Address.PostalCode"] = "50030230", ["Input.Address.Street"] = "Rua do Bom Jesus", ["Input.Address.Number"] = "125",
            ["Input.Address.District"] = "Recife Antigo", ["Input.Address.City"] = "Recife", ["Input.Address.State"] = "PE",
        });
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        var details = await browser.GetPage(saved.Headers.Location!.OriginalString);
        var lines = details.QuerySelectorAll(".partner-address address span").Select(s => s.TextContent.Trim()).ToList();
        Assert.Equal(["Rua do Bom Jesus, 125 - Recife Antigo", "Recife - PE, CEP 50030-230"], lines);
        Assert.Contains("ISENTO", details.Body!.TextContent, StringComparison.Ordinal);

        var edit = await browser.GetPage(saved.Headers.Location!.OriginalString + "/edit");
        Assert.Equal("50030-230", ((IHtmlInputElement)edit.QuerySelector("#Input_Address_PostalCode")!).Value);
        Assert.Equal("PE", ((IHtmlSelectElement)edit.QuerySelector("#Input_Address_State")!).Value);
        Assert.Equal("ISENTO", ((IHtmlInputElement)edit.QuerySelector("#Input_StateRegistration")!).Value);
    }

    [Fact]
    public async Task An_invalid_CEP_or_IE_shows_next_to_its_field_keeps_what_was_typed_and_saves_nothing()
    {
        var ws = await App.CreateWorkspace(fixture.AdminToken, Unique("Domínio Form Erro"));
        using var browser = await App.LoggedIn();
        var refused = await browser.SubmitForm("/partners/new", "form.card", new()
        {
            ["Input.Name"] = "Oficina Não Salva", ["Input.WorkspaceId"] = ws.ToString(), ["Input.StateRegistration"] = "12#3",
            ["Input.Address.PostalCode"] = "5003023", ["Input.Address.City"] = "Recife", ["Input.Address.State"] = "PE",
        });
        Assert.Equal(HttpStatusCode.OK, refused.StatusCode);
        var page = await HtmlClient.Parse(refused);
        Assert.Equal("CEP inválido: use 8 dígitos, como 01310-100.", page.QuerySelector("[data-valmsg-for='Input.Address.PostalCode']")!.TextContent.Trim());
        Assert.StartsWith("Inscrição estadual inválida", page.QuerySelector("[data-valmsg-for='Input.StateRegistration']")!.TextContent.Trim(), StringComparison.Ordinal);
        Assert.Equal("5003023", ((IHtmlInputElement)page.QuerySelector("#Input_Address_PostalCode")!).Value);
        Assert.Equal("Recife", ((IHtmlInputElement)page.QuerySelector("#Input_Address_City")!).Value);
        Assert.Equal("PE", ((IHtmlSelectElement)page.QuerySelector("#Input_Address_State")!).Value);

        using var api = App.Api(fixture.AdminToken);
        var list = await api.GetFromJsonAsync<JsonObject>($"/api/v1/partners?workspaceId={ws}", Ct);
        Assert.Empty(list!["items"]!.AsArray());
    }

    [Fact]
    public async Task Csv_exports_the_address_columns_formula_safe_and_imports_them_back()
    {
        var (api, ws) = await AdminWithWorkspace();
        var name = Unique("Exportadora");
        await Json(await api.PostAsJsonAsync("/api/v1/partners", new
        {
            name, workspaceId = ws, stateRegistration = "P-01100424.3/002",
            address = new { postalCode = "01310-100", street = "=CMD()", number = "-5", complement = "@fundos", district = "Bela Vista", city = "São Paulo", state = "SP" },
        }, Ct), HttpStatusCode.Created);

        var export = await api.GetAsync($"/api/v1/partners/export?workspaceId={ws}", Ct);
        var text = Encoding.UTF8.GetString(await export.Content.ReadAsByteArrayAsync(Ct)).TrimStart('\uFEFF');
        var lines = text.Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        var header = lines[0].Split(';');
        string[] columns = ["Inscrição estadual", "CEP", "Logradouro", "Número", "Complemento", "Bairro", "Cidade", "UF"];
        Assert.All(columns, c => Assert.Contains(c, header));
        var row = lines[1].Split(';');
        string Cell(string column) => row[Array.IndexOf(header, column)];
        Assert.Equal("01310-100", Cell("CEP"));
        Assert.Equal("'=CMD()", Cell("Logradouro"));
        Assert.Equal("'-5", Cell("Número"));
        Assert.Equal("'@fundos", Cell("Complemento"));
        Assert.Equal("SP", Cell("UF"));
        Assert.Equal("P-01100424.3/002", Cell("Inscrição estadual"));

        // The exported row, renamed and without its Id (so it is a new partner, not an update of this one), imports back with
        // the same address; a bad CEP or UF in another row is reported by name.
        Assert.Equal("Id", header[^1]);
        var copy = Unique("Importadora");
        var withoutId = lines[1][..(lines[1].LastIndexOf(';') + 1)];
        var bad = withoutId.Replace(name, Unique("Ruim"), StringComparison.Ordinal).Replace("01310-100", "1310", StringComparison.Ordinal).Replace(";SP;", ";XX;", StringComparison.Ordinal);
        var csv = lines[0] + "\r\n" + withoutId.Replace(name, copy, StringComparison.Ordinal) + "\r\n" + bad + "\r\n";
        using var body = new StringContent(csv, Encoding.UTF8, "text/csv");
        var report = await Json(await api.PostAsync($"/api/v1/partners/import?workspaceId={ws}", body, Ct), HttpStatusCode.OK);
        Assert.Equal(1, report["partnersCreated"]!.GetValue<int>());
        var badErrors = report["rows"]![1]!["errors"]!.AsArray().Select(S).ToList();
        Assert.Contains("CEP inválido: use 8 dígitos, como 01310-100.", badErrors);
        Assert.Contains(badErrors, e => e.StartsWith("UF inválida", StringComparison.Ordinal));

        var found = await api.GetFromJsonAsync<JsonObject>($"/api/v1/partners?q={Uri.EscapeDataString(copy)}", Ct);
        var id = found!["items"]!.AsArray().Single()!["id"]!.GetValue<long>();
        var imported = await api.GetFromJsonAsync<JsonObject>($"/api/v1/partners/{id}", Ct);
        Assert.Equal("P-01100424.3/002", S(imported!["stateRegistration"]));
        var address = imported["address"]!;
        Assert.Equal(["01310-100", "=CMD()", "-5", "@fundos", "Bela Vista", "São Paulo", "SP"],
            new[] { "postalCode", "street", "number", "complement", "district", "city", "state" }.Select(f => S(address[f])));
    }
}

public sealed class PartnerAddressTestsSqlite(SqliteFixture fixture) : PartnerAddressTests(fixture), IClassFixture<SqliteFixture>;

public sealed class PartnerAddressTestsPostgres(PostgresFixture fixture) : PartnerAddressTests(fixture), IClassFixture<PostgresFixture>;
