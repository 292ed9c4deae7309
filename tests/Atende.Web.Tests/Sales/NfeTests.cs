using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using AngleSharp.Html.Dom;
using Atende.Web.Tests.Infrastructure;
using Atende.Web.Tests.Tickets;
using static Atende.Web.Tests.Tickets.TicketSteps;

namespace Atende.Web.Tests.Sales;

/// <summary>"Ver dados da NF-e": the checklist names every missing field, and a sale is "pronta para emissão" only when complete.</summary>
public abstract class NfeTests(AppFixture fixture)
{
    private TestApp App => fixture.App;
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task<HttpResponseMessage> Post(HttpClient api, string url, string? etag)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = JsonContent.Create(new { }) };
        if (etag is not null)
        {
            request.Headers.IfMatch.Add(new EntityTagHeaderValue(etag));
        }
        return await api.SendAsync(request, Ct);
    }

    [Fact]
    public async Task Catalog_items_take_an_ncm_or_a_service_code_checked_by_kind()
    {
        var api = App.Api(fixture.AdminToken);
        var bad = await Problem(await api.PostAsJsonAsync("/api/v1/settings/catalog-items", new { name = Unique("Forno"), kind = "Product", defaultPrice = 10, fiscalCode = "1234" }, Ct), HttpStatusCode.BadRequest);
        Assert.Contains("NCM inválido", bad["errors"]!["fiscalCode"]![0]!.GetValue<string>());
        var badService = await Problem(await api.PostAsJsonAsync("/api/v1/settings/catalog-items", new { name = Unique("Consultoria"), kind = "Service", fiscalCode = "8471.30.12" }, Ct), HttpStatusCode.BadRequest);
        Assert.Contains("Código de serviço inválido", badService["errors"]!["fiscalCode"]![0]!.GetValue<string>());
        var product = await Json(await api.PostAsJsonAsync("/api/v1/settings/catalog-items", new { name = Unique("Forno"), kind = "Product", defaultPrice = 10, fiscalCode = "8417.20.00" }, Ct), HttpStatusCode.Created);
        Assert.Equal("84172000", product["fiscalCode"]!.GetValue<string>());
        var service = await Json(await api.PostAsJsonAsync("/api/v1/settings/catalog-items", new { name = Unique("Manutenção"), kind = "Service", fiscalCode = "14.01" }, Ct), HttpStatusCode.Created);
        Assert.Equal("14.01", service["fiscalCode"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_sale_is_ready_for_emission_only_once_every_field_the_checklist_names_is_complete()
    {
        var api = App.Api(fixture.AdminToken);
        var workspaceId = await App.CreateWorkspace(fixture.AdminToken, Unique("Domínio NF-e"));
        var pipelineId = (await Pipeline(api))["id"]!.GetValue<long>();
        var partner = await Json(await api.PostAsJsonAsync("/api/v1/partners", new { name = Unique("Mercado São João"), workspaceId }, Ct), HttpStatusCode.Created);
        var partnerId = partner["id"]!.GetValue<long>();
        var contact = await Json(await api.PostAsJsonAsync($"/api/v1/partners/{partnerId}/contacts", new { name = "Joana Prado" }, Ct), HttpStatusCode.Created);
        var ticketId = (await Ticket(api, pipelineId, partnerId, contact["id"]!.GetValue<long>(), "Venda de forno"))["id"]!.GetValue<long>();
        var oven = await Json(await api.PostAsJsonAsync("/api/v1/settings/catalog-items", new { name = Unique("Forno de lastro"), kind = "Product", defaultPrice = 12000, fiscalCode = "84172000" }, Ct), HttpStatusCode.Created);
        var quote = await Json(await api.PostAsJsonAsync("/api/v1/quotes", new
        {
            ticketId, issueNfe = true,
            items = new object[] { new { catalogItemId = oven["id"]!.GetValue<long>(), quantity = 1 }, new { description = "Instalação", quantity = 1, unitPrice = 800 } },
        }, Ct), HttpStatusCode.Created);
        var id = quote["id"]!.GetValue<long>();
        Assert.False(quote["nfe"]!["ready"]!.GetValue<bool>());

        var nfe = await Json(await api.GetAsync($"/api/v1/quotes/{id}/nfe", Ct), HttpStatusCode.OK);
        var problems = nfe["problems"]!.AsArray().Select(p => p!.GetValue<string>()).ToList();
        Assert.False(nfe["complete"]!.GetValue<bool>());
        Assert.Contains("Falta o CPF/CNPJ do cliente (campo Código do cadastro).", problems);
        Assert.Contains("Falta o CEP do cliente.", problems);
        Assert.Contains("Falta a UF do cliente.", problems);
        Assert.Contains(problems, p => p.StartsWith("Falta o e-mail do cliente", StringComparison.Ordinal));
        Assert.Contains("Falta o NCM (produto) ou o código de serviço do item 2 (Instalação).", problems);
        Assert.DoesNotContain(problems, p => p.Contains("item 1", StringComparison.Ordinal));

        // A quote awaiting approval does not go to emission; the page lists the same checklist.
        Assert.Equal(HttpStatusCode.Conflict, (await Post(api, $"/api/v1/quotes/{id}/nfe/ready", "\"1\"")).StatusCode);
        var page = await (await App.LoggedIn()).GetPage($"/quotes/{id}/nfe");
        Assert.Equal(problems, page.QuerySelectorAll(".nfe-problems li").Select(li => li.TextContent.Trim()));
        await Json(await Post(api, $"/api/v1/quotes/{id}/approve", "\"1\""), HttpStatusCode.OK);
        var refused = await Problem(await Post(api, $"/api/v1/quotes/{id}/nfe/ready", "\"2\""), HttpStatusCode.BadRequest);
        Assert.Equal(problems, refused["errors"]!["nfe"]!.AsArray().Select(p => p!.GetValue<string>()));

        // The customer's record completed (CNPJ, IE, address), the contact's e-mail, a service code on the free line.
        var current = await Json(await api.GetAsync($"/api/v1/partners/{partnerId}", Ct), HttpStatusCode.OK);
        await Json(await TicketSteps.Patch(api, $"/api/v1/partners/{partnerId}", new
        {
            code = "11.222.333/0001-81", confirmDuplicates = true, stateRegistration = "isento",
            address = new { postalCode = "01310100", street = "Av. Paulista", number = "1000", district = "Bela Vista", city = "São Paulo", state = "sp" },
        }, $"\"{current["version"]}\""), HttpStatusCode.OK);
        var person = await Json(await api.GetAsync($"/api/v1/partners/{partnerId}/contacts/{contact["id"]}", Ct), HttpStatusCode.OK);
        await Json(await TicketSteps.Patch(api, $"/api/v1/partners/{partnerId}/contacts/{contact["id"]}", new { emails = new[] { "compras@mercado.test" } },
            $"\"{person["version"]}\""), HttpStatusCode.OK);
        nfe = await Json(await api.GetAsync($"/api/v1/quotes/{id}/nfe", Ct), HttpStatusCode.OK);
        Assert.Equal(["Falta o NCM (produto) ou o código de serviço do item 2 (Instalação)."], nfe["problems"]!.AsArray().Select(p => p!.GetValue<string>()));
        Assert.Equal("CNPJ", nfe["customer"]!["taxIdKind"]!.GetValue<string>());
        Assert.Equal("ISENTO", nfe["customer"]!["stateRegistration"]!.GetValue<string>());
        Assert.Equal("01310-100", nfe["customer"]!["address"]!["postalCode"]!.GetValue<string>());
        Assert.Equal("84172000", nfe["items"]![0]!["fiscalCode"]!.GetValue<string>());

        // A sale is not edited: the free line's code comes from a new sale written with it (what the API offers for free text).
        var complete = await Json(await api.PostAsJsonAsync("/api/v1/quotes", new
        {
            ticketId, issueNfe = true, state = "Approved",
            items = new object[] { new { catalogItemId = oven["id"]!.GetValue<long>(), quantity = 1 }, new { description = "Instalação", quantity = 1, unitPrice = 800, fiscalCode = "14.06" } },
        }, Ct), HttpStatusCode.Created);
        var completeId = complete["id"]!.GetValue<long>();
        var etag = (await api.GetAsync($"/api/v1/quotes/{completeId}", Ct)).Headers.ETag!.Tag;
        var ready = await Json(await Post(api, $"/api/v1/quotes/{completeId}/nfe/ready", etag), HttpStatusCode.OK);
        Assert.True(ready["nfe"]!["ready"]!.GetValue<bool>());
        var export = await (await App.LoggedIn()).GetAsync($"/quotes/{completeId}/nfe?handler=Json", Ct);
        Assert.Equal("application/json", export.Content.Headers.ContentType?.MediaType);
        var json = JsonNode.Parse(await export.Content.ReadAsStringAsync(Ct))!;
        Assert.True(json["complete"]!.GetValue<bool>());
        Assert.Equal("14.06", json["items"]![1]!["fiscalCode"]!.GetValue<string>());
        Assert.Equal(12800m, json["total"]!.GetValue<decimal>());
        Assert.Equal(HttpStatusCode.BadRequest, (await api.PostAsJsonAsync("/api/v1/quotes", new
        {
            ticketId, items = new object[] { new { description = "X", quantity = 1, unitPrice = 1, fiscalCode = "abc" } },
        }, Ct)).StatusCode);

        var elsewhere = await App.CreateWorkspace(fixture.AdminToken, Unique("Outro"));
        var (_, token) = await App.CreateUser(fixture.AdminToken, $"nfe-{Guid.NewGuid():N}@test.com.br", "Agent", elsewhere);
        Assert.Equal(HttpStatusCode.NotFound, (await App.Api(token).GetAsync($"/api/v1/quotes/{id}/nfe", Ct)).StatusCode);
    }

    private static async Task<HttpResponseMessage> Unmark(HttpClient api, long id, string? etag)
    {
        using var request = new HttpRequestMessage(HttpMethod.Delete, $"/api/v1/quotes/{id}/nfe/ready");
        if (etag is not null)
        {
            request.Headers.IfMatch.Add(new EntityTagHeaderValue(etag));
        }
        return await api.SendAsync(request, Ct);
    }

    private static async Task<string> ETag(HttpClient api, long id) => (await api.GetAsync($"/api/v1/quotes/{id}", Ct)).Headers.ETag!.Tag;

    /// <summary>A sale with "emitir NF-e" whose data is complete: a CNPJ customer with IE and address, a contact with e-mail, coded items.</summary>
    private async Task<(HttpClient Api, long SaleId, long TicketId, long PartnerId)> CompleteSale()
    {
        var api = App.Api(fixture.AdminToken);
        var workspaceId = await App.CreateWorkspace(fixture.AdminToken, Unique("Domínio NF-e"));
        var pipelineId = (await Pipeline(api))["id"]!.GetValue<long>();
        var partner = await Json(await api.PostAsJsonAsync("/api/v1/partners", new
        {
            name = Unique("Mercado São João"), workspaceId, code = "11.222.333/0001-81", confirmDuplicates = true, stateRegistration = "isento",
            address = new { postalCode = "01310100", street = "Av. Paulista", number = "1000", district = "Bela Vista", city = "São Paulo", state = "SP" },
        }, Ct), HttpStatusCode.Created);
        var partnerId = partner["id"]!.GetValue<long>();
        var contact = await Json(await api.PostAsJsonAsync($"/api/v1/partners/{partnerId}/contacts", new { name = "Joana Prado", emails = new[] { $"compras-{Guid.NewGuid():N}@mercado.test" } }, Ct), HttpStatusCode.Created);
        var ticketId = (await Ticket(api, pipelineId, partnerId, contact["id"]!.GetValue<long>(), "Venda de forno"))["id"]!.GetValue<long>();
        var sale = await Json(await api.PostAsJsonAsync("/api/v1/quotes", new
        {
            ticketId, issueNfe = true, state = "Approved",
            items = new object[] { new { description = "Forno de lastro", quantity = 1, unitPrice = 12000, fiscalCode = "84172000" }, new { description = "Instalação", quantity = 1, unitPrice = 800, fiscalCode = "14.06" } },
        }, Ct), HttpStatusCode.Created);
        return (api, sale["id"]!.GetValue<long>(), ticketId, partnerId);
    }

    [Fact]
    public async Task Ready_for_emission_is_undone_through_the_api_with_if_match_and_the_ticket_history_says_so()
    {
        var (api, id, ticketId, _) = await CompleteSale();
        var notMarked = await Problem(await Unmark(api, id, await ETag(api, id)), HttpStatusCode.Conflict);
        Assert.Contains("não está marcada como pronta para emissão", notMarked["detail"]!.GetValue<string>());

        var marked = await Json(await Post(api, $"/api/v1/quotes/{id}/nfe/ready", await ETag(api, id)), HttpStatusCode.OK);
        Assert.True(marked["nfe"]!["ready"]!.GetValue<bool>());
        var markedTag = await ETag(api, id);
        Assert.Equal(HttpStatusCode.PreconditionRequired, (await Unmark(api, id, null)).StatusCode);
        Assert.Equal(HttpStatusCode.PreconditionFailed, (await Unmark(api, id, "\"1\"")).StatusCode);
        Assert.True((await Json(await api.GetAsync($"/api/v1/quotes/{id}", Ct), HttpStatusCode.OK))["nfe"]!["ready"]!.GetValue<bool>());

        var unmarked = await Unmark(api, id, markedTag);
        var quote = await Json(unmarked, HttpStatusCode.OK);
        Assert.False(quote["nfe"]!["ready"]!.GetValue<bool>());
        Assert.Null(quote["nfe"]!["readyAt"]);
        Assert.NotEqual(markedTag, unmarked.Headers.ETag!.Tag);
        var nfe = await Json(await api.GetAsync($"/api/v1/quotes/{id}/nfe", Ct), HttpStatusCode.OK);
        Assert.Null(nfe["readyAt"]);
        // Done twice (a second tab): the second is told it is not marked any more.
        Assert.Equal(HttpStatusCode.Conflict, (await Unmark(api, id, unmarked.Headers.ETag!.Tag)).StatusCode);

        var history = await Json(await api.GetAsync($"/api/v1/tickets/{ticketId}/history?limit=100", Ct), HttpStatusCode.OK);
        var lines = history["items"]!.AsArray().Select(h => h!["newValue"]?.GetValue<string>() ?? "").ToList();
        var number = quote["number"]!.GetValue<string>();
        Assert.Contains($"{number}: dados da NF-e conferidos, pronta para emissão", lines);
        Assert.Contains($"{number}: desmarcada como pronta para emissão (dados da NF-e a corrigir)", lines);

        // Marked again after the correction.
        Assert.True((await Json(await Post(api, $"/api/v1/quotes/{id}/nfe/ready", await ETag(api, id)), HttpStatusCode.OK))["nfe"]!["ready"]!.GetValue<bool>());

        var elsewhere = await App.CreateWorkspace(fixture.AdminToken, Unique("Outro"));
        var (_, token) = await App.CreateUser(fixture.AdminToken, $"nfe-{Guid.NewGuid():N}@test.com.br", "Agent", elsewhere);
        Assert.Equal(HttpStatusCode.NotFound, (await Unmark(App.Api(token), id, await ETag(api, id))).StatusCode);
    }

    [Fact]
    public async Task A_sale_marked_ready_whose_data_became_incomplete_says_so_and_is_unmarked_on_the_page_after_confirming()
    {
        var (api, id, _, partnerId) = await CompleteSale();
        await Json(await Post(api, $"/api/v1/quotes/{id}/nfe/ready", await ETag(api, id)), HttpStatusCode.OK);
        var browser = await App.LoggedIn();
        var page = await browser.GetPage($"/quotes/{id}/nfe");
        Assert.Contains("Pronta para emissão desde", page.QuerySelector(".alert-success")!.TextContent);
        Assert.Null(page.QuerySelector(".nfe-stale"));

        // The customer's address is removed after the sale was marked.
        var partner = await Json(await api.GetAsync($"/api/v1/partners/{partnerId}", Ct), HttpStatusCode.OK);
        await Json(await TicketSteps.Patch(api, $"/api/v1/partners/{partnerId}", new { address = (object?)null }, $"\"{partner["version"]}\""), HttpStatusCode.OK);
        page = await browser.GetPage($"/quotes/{id}/nfe");
        var stale = page.QuerySelector(".nfe-stale")!.TextContent;
        Assert.Contains("Marcada como pronta para emissão em", stale);
        Assert.Contains("mas agora falta", stale);
        Assert.Null(page.QuerySelector(".alert-success"));
        Assert.Contains("Falta o CEP do cliente.", page.QuerySelectorAll(".nfe-problems li").Select(li => li.TextContent.Trim()));

        // "Desmarcar" asks first, then clears the mark; the page offers marking again once the data is complete.
        var form = (IHtmlFormElement)page.QuerySelector("form[action*='handler=Unready']")!;
        Assert.Contains("Desmarcar", form.GetAttribute("data-confirm"));
        var done = await browser.Submit(form, $"/quotes/{id}/nfe", []);
        Assert.Equal(HttpStatusCode.Redirect, done.StatusCode);
        page = await browser.GetPage(done.Headers.Location!.OriginalString);
        Assert.Contains("Desmarcada", page.QuerySelector(".alert-success")!.TextContent);
        Assert.Null(page.QuerySelector(".nfe-stale"));
        Assert.Null(page.QuerySelector("form[action*='handler=Unready']"));
        Assert.True(page.QuerySelector("form[action*='handler=Ready'] button")!.HasAttribute("disabled"));
        Assert.False((await Json(await api.GetAsync($"/api/v1/quotes/{id}", Ct), HttpStatusCode.OK))["nfe"]!["ready"]!.GetValue<bool>());

        // The same form posted again (a second tab, stale revision): a clear message, nothing changed.
        var again = await browser.Submit(form, $"/quotes/{id}/nfe", []);
        page = await browser.GetPage(again.Headers.Location!.OriginalString);
        Assert.Contains("não está marcada como pronta para emissão", page.QuerySelector(".alert-danger")!.TextContent);
    }
}

public sealed class NfeTestsSqlite(SqliteFixture fixture) : NfeTests(fixture), IClassFixture<SqliteFixture>;

public sealed class NfeTestsPostgres(PostgresFixture fixture) : NfeTests(fixture), IClassFixture<PostgresFixture>;
