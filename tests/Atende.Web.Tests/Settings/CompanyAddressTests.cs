using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using AngleSharp.Html.Dom;
using Atende.Web.Tests.Infrastructure;
using static Atende.Web.Tests.Settings.PageHelpers;

namespace Atende.Web.Tests.Settings;

/// <summary>The company's CNPJ/CPF, phone and address (for the quote PDF): /api/v1/settings/company and /settings/company.</summary>
public abstract class CompanyAddressTests(AppFixture fixture)
{
    private static async Task<JsonObject> Json(HttpResponseMessage response, HttpStatusCode status)
    {
        var body = await response.Content.ReadAsStringAsync(Ct);
        Assert.True(response.StatusCode == status, $"expected {(int)status}, got {(int)response.StatusCode}: {body}");
        return JsonNode.Parse(body)!.AsObject();
    }

    private static string S(JsonNode? node) => node!.GetValue<string>();

    [Fact]
    public async Task The_api_stores_the_CNPJ_formatted_the_phone_and_the_address_and_the_page_shows_them()
    {
        using var api = fixture.App.Api(fixture.AdminToken);
        var saved = await Json(await api.PutAsJsonAsync("/api/v1/settings/company", new
        {
            name = "Vidraçaria Cristal Ltda", email = "", timeZone = "America/Sao_Paulo", taxId = "11222333000181", phone = " (11) 3456-7890 ",
            address = new { postalCode = "04538133", street = "Av. Brigadeiro Faria Lima", number = "3477", district = "Itaim Bibi", city = "São Paulo", state = "sp" },
        }, Ct), HttpStatusCode.OK);
        Assert.Equal("11.222.333/0001-81", S(saved["taxId"]));
        Assert.Equal("(11) 3456-7890", S(saved["phone"]));
        Assert.Equal("04538-133", S(saved["address"]!["postalCode"]));
        Assert.Equal("SP", S(saved["address"]!["state"]));

        var read = await api.GetFromJsonAsync<JsonObject>("/api/v1/settings/company", Ct);
        Assert.Equal("11.222.333/0001-81", S(read!["taxId"]));
        Assert.Equal("Itaim Bibi", S(read["address"]!["district"]));
        Assert.Equal("Vidraçaria Cristal Ltda", S(read["name"]));

        // The page reads the profile through the node's cache: it shows the new values at once.
        using var admin = await fixture.App.LoggedIn();
        var page = await admin.GetPage("/settings/company");
        Assert.Equal("11.222.333/0001-81", Value(page, "#Input_TaxId"));
        Assert.Equal("(11) 3456-7890", Value(page, "#Input_Phone"));
        Assert.Equal("04538-133", Value(page, "#Input_Address_PostalCode"));
        Assert.Equal("SP", ((IHtmlSelectElement)page.QuerySelector("#Input_Address_State")!).Value);

        // A PUT without them clears them, as it clears every other optional field it leaves out.
        var cleared = await Json(await api.PutAsJsonAsync("/api/v1/settings/company", new { name = "Vidraçaria Cristal Ltda", timeZone = "America/Sao_Paulo" }, Ct),
            HttpStatusCode.OK);
        Assert.Equal("", S(cleared["taxId"]));
        Assert.Null(cleared["address"]);
    }

    [Fact]
    public async Task A_wrong_CNPJ_a_free_code_or_a_bad_address_is_named_and_nothing_is_saved()
    {
        using var api = fixture.App.Api(fixture.AdminToken);
        var before = await api.GetFromJsonAsync<JsonObject>("/api/v1/settings/company", Ct);

        var problem = await Json(await api.PutAsJsonAsync("/api/v1/settings/company", new
        {
            name = "Não Salvar", timeZone = "America/Sao_Paulo", taxId = "11.222.333/0001-82", phone = new string('9', 31),
            address = new { postalCode = "0453813", state = "XX" },
        }, Ct), HttpStatusCode.BadRequest);
        var errors = problem["errors"]!.AsObject();
        Assert.Equal("CNPJ inválido: dígitos verificadores não conferem.", S(errors["taxId"]![0]));
        Assert.Equal("Telefone da empresa pode ter no máximo 30 caracteres.", S(errors["phone"]![0]));
        Assert.Equal("CEP inválido: use 8 dígitos, como 01310-100.", S(errors["address.postalCode"]![0]));
        Assert.StartsWith("UF inválida", S(errors["address.state"]![0]), StringComparison.Ordinal);

        var free = await Json(await api.PutAsJsonAsync("/api/v1/settings/company", new { name = "Não Salvar", taxId = "CLI-0042" }, Ct), HttpStatusCode.BadRequest);
        Assert.StartsWith("CNPJ/CPF inválido", S(free["errors"]!["taxId"]![0]), StringComparison.Ordinal);

        var after = await api.GetFromJsonAsync<JsonObject>("/api/v1/settings/company", Ct);
        Assert.Equal(before!.ToJsonString(), after!.ToJsonString());
    }

    [Fact]
    public async Task The_form_saves_a_CPF_and_the_address_and_shows_a_bad_CEP_next_to_its_field()
    {
        using var admin = await fixture.App.LoggedIn();
        var refused = await admin.SubmitForm("/settings/company", "form.settings-form", new()
        {
            ["Input.Name"] = "Escritório Contábil", ["Input.TaxId"] = "52998224725", ["Input.Address.PostalCode"] = "123",
            ["Input.Address.City"] = "Curitiba", ["Input.Address.State"] = "PR",
        });
        Assert.Equal(HttpStatusCode.OK, refused.StatusCode);
        var page = await HtmlClient.Parse(refused);
        Assert.Equal("CEP inválido: use 8 dígitos, como 01310-100.", FieldError(page, "Input.Address.PostalCode"));
        Assert.Equal("123", Value(page, "#Input_Address_PostalCode"));
        Assert.Equal("Curitiba", Value(page, "#Input_Address_City"));

        var saved = await admin.SubmitForm("/settings/company", "form.settings-form", new()
        {
            ["Input.Name"] = "Escritório Contábil", ["Input.TaxId"] = "52998224725", ["Input.Phone"] = "(41) 3333-2222",
            ["Input.Address.PostalCode"] = "80010-000", ["Input.Address.Street"] = "Rua XV de Novembro", ["Input.Address.Number"] = "50",
            ["Input.Address.District"] = "Centro", ["Input.Address.City"] = "Curitiba", ["Input.Address.State"] = "PR",
        });
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        using var api = fixture.App.Api(fixture.AdminToken);
        var company = await api.GetFromJsonAsync<JsonObject>("/api/v1/settings/company", Ct);
        Assert.Equal("529.982.247-25", S(company!["taxId"]));
        Assert.Equal("(41) 3333-2222", S(company["phone"]));
        Assert.Equal(["80010-000", "Rua XV de Novembro", "50", "", "Centro", "Curitiba", "PR"],
            new[] { "postalCode", "street", "number", "complement", "district", "city", "state" }.Select(f => S(company["address"]![f])));
    }

    [Fact]
    public async Task The_quote_pdf_shows_the_company_and_the_customer_with_their_documents_and_addresses()
    {
        if (!File.Exists("/usr/bin/pdftotext"))
        {
            var reason = "/usr/bin/pdftotext is missing: install poppler-utils to read the quote PDF.";
            if (Environment.GetEnvironmentVariable("ATENDE_REQUIRE_SERVICES") == "1")
            {
                Assert.Fail("ATENDE_REQUIRE_SERVICES=1 but " + reason);
            }
            Assert.Skip(reason);
        }
        using var api = fixture.App.Api(fixture.AdminToken);
        await Json(await api.PutAsJsonAsync("/api/v1/settings/company", new
        {
            name = "Padaria Pão Quente Ltda", timeZone = "America/Sao_Paulo", taxId = "11222333000181", phone = "(11) 3456-7890",
            address = new { postalCode = "01310100", street = "Av. Paulista", number = "1000", district = "Bela Vista", city = "São Paulo", state = "SP" },
        }, Ct), HttpStatusCode.OK);
        var workspaceId = await fixture.App.CreateWorkspace(fixture.AdminToken, Unique("Domínio PDF"));
        var pipelineId = (await Tickets.TicketSteps.Pipeline(api))["id"]!.GetValue<long>();
        var partner = await Json(await api.PostAsJsonAsync("/api/v1/partners", new
        {
            name = Unique("Mercado Recife"), workspaceId, code = "529.982.247-25", stateRegistration = "0623079040081", confirmDuplicates = true,
            address = new { postalCode = "50030-230", street = "Rua do Bom Jesus", number = "125", district = "Recife Antigo", city = "Recife", state = "PE" },
        }, Ct), HttpStatusCode.Created);
        var ticket = await Tickets.TicketSteps.Ticket(api, pipelineId, partner["id"]!.GetValue<long>(), null, "Orçamento com endereço");
        var quote = await Json(await api.PostAsJsonAsync("/api/v1/quotes", new
        {
            ticketId = ticket["id"]!.GetValue<long>(), items = new object[] { new { description = "Pão francês (kg)", quantity = 2, unitPrice = 18.90m } },
        }, Ct), HttpStatusCode.Created);

        var pdf = await api.GetAsync($"/api/v1/quotes/{quote["id"]}/pdf", Ct);
        Assert.Equal("application/pdf", pdf.Content.Headers.ContentType?.MediaType);
        var text = await PdfText(await pdf.Content.ReadAsByteArrayAsync(Ct));
        Assert.Contains("11.222.333/0001-81", text, StringComparison.Ordinal);
        Assert.Contains("(11) 3456-7890", text, StringComparison.Ordinal);
        Assert.Contains("Av. Paulista, 1000 - Bela Vista", text, StringComparison.Ordinal);
        Assert.Contains("529.982.247-25", text, StringComparison.Ordinal);
        Assert.Contains("0623079040081", text, StringComparison.Ordinal);
        Assert.Contains("Rua do Bom Jesus, 125 - Recife Antigo", text, StringComparison.Ordinal);
        Assert.Contains("Recife - PE, CEP 50030-230", text, StringComparison.Ordinal);
    }

    private static async Task<string> PdfText(byte[] pdf)
    {
        var file = Path.Combine(Path.GetTempPath(), $"atende-company-{Guid.NewGuid():N}.pdf");
        await File.WriteAllBytesAsync(file, pdf, Ct);
        try
        {
            var start = new System.Diagnostics.ProcessStartInfo("/usr/bin/pdftotext") { RedirectStandardOutput = true, ArgumentList = { file, "-" } };
            using var process = System.Diagnostics.Process.Start(start)!;
            var text = await process.StandardOutput.ReadToEndAsync(Ct);
            await process.WaitForExitAsync(Ct);
            return text;
        }
        finally
        {
            File.Delete(file);
        }
    }
}

public sealed class CompanyAddressTestsSqlite(SqliteFixture f) : CompanyAddressTests(f), IClassFixture<SqliteFixture>;

public sealed class CompanyAddressTestsPostgres(PostgresFixture f) : CompanyAddressTests(f), IClassFixture<PostgresFixture>;
