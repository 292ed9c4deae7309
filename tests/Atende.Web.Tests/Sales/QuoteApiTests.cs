using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Atende.Web.Tests.Infrastructure;
using Atende.Web.Tests.Tickets;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static Atende.Web.Tests.Tickets.TicketSteps;

namespace Atende.Web.Tests.Sales;

public abstract class QuoteApiTests(AppFixture fixture)
{
    private TestApp App => fixture.App;
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task<(HttpClient Api, long WorkspaceId, long PipelineId, long TicketId)> TicketOfAdmin()
    {
        var api = App.Api(fixture.AdminToken);
        var workspaceId = await App.CreateWorkspace(fixture.AdminToken, Unique("Domínio Vendas"));
        var pipelineId = (await Pipeline(api))["id"]!.GetValue<long>();
        var (partnerId, contactId) = await Partner(api, workspaceId, Unique("Padaria Pão Quente"), "Joana Prado");
        var ticket = await Ticket(api, pipelineId, partnerId, contactId, "Orçamento de manutenção");
        return (api, workspaceId, pipelineId, ticket["id"]!.GetValue<long>());
    }

    private static object TwoItems(string notes = "Pagamento em 30 dias.") => new
    {
        items = new object[]
        {
            new { description = "Manutenção preventiva do forno", quantity = 1.5m, unitPrice = 10.01m, discountPercent = 10m },
            new { description = "Visita técnica", quantity = 2, unitPrice = 150m, discount = 20m },
        },
        notes,
        validUntil = DateTime.UtcNow.AddDays(15).ToString("yyyy-MM-dd"),
    };

    private static async Task<HttpResponseMessage> Post(HttpClient api, string url, object? body, string? etag)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = body is null ? null : JsonContent.Create(body) };
        if (etag is not null)
        {
            request.Headers.IfMatch.Add(new EntityTagHeaderValue(etag));
        }
        return await api.SendAsync(request, Ct);
    }

    [Fact]
    public async Task A_quote_is_revised_into_versions_and_only_the_current_one_becomes_a_sale()
    {
        var (api, _, pipelineId, ticketId) = await TicketOfAdmin();
        var body = JsonSerializerHelper.ToObject(TwoItems());
        body["ticketId"] = ticketId;
        var created = await Json(await api.PostAsJsonAsync("/api/v1/quotes", body, Ct), HttpStatusCode.Created);
        var id = created["id"]!.GetValue<long>();
        Assert.Matches(@"^ORC-\d{4}-\d{4,}$", created["number"]!.GetValue<string>());
        Assert.Equal("PendingApproval", created["state"]!.GetValue<string>());
        Assert.Equal(1, created["version"]!.GetValue<int>());
        // 1,5 × 10,01 = 15,015 → 15,02; 10% = 1,502 → 1,50; 2 × 150 = 300 − 20.
        var items = created["items"]!.AsArray();
        Assert.Equal(13.52m, items[0]!["total"]!.GetValue<decimal>());
        Assert.Equal(1.50m, items[0]!["discount"]!.GetValue<decimal>());
        Assert.Equal(10m, items[0]!["discountPercent"]!.GetValue<decimal>());
        Assert.Equal(280m, items[1]!["total"]!.GetValue<decimal>());
        Assert.Equal(315.02m, created["subtotal"]!.GetValue<decimal>());
        Assert.Equal(21.50m, created["discountTotal"]!.GetValue<decimal>());
        Assert.Equal(293.52m, created["total"]!.GetValue<decimal>());

        // Editing writes version 2; version 1 stays, obsolete, with its own content.
        Assert.Equal(HttpStatusCode.PreconditionRequired, (await TicketSteps.Patch(api, $"/api/v1/quotes/{id}", new { notes = "x" }, null)).StatusCode);
        var revised = await Json(await TicketSteps.Patch(api, $"/api/v1/quotes/{id}", new { notes = "Pagamento à vista com 5% de desconto.",
            items = new object[] { new { description = "Visita técnica", quantity = 1, unitPrice = 150m } } }, "\"1\""), HttpStatusCode.OK);
        Assert.Equal(2, revised["version"]!.GetValue<int>());
        Assert.Equal(150m, revised["total"]!.GetValue<decimal>());
        var versions = (await Json(await api.GetAsync($"/api/v1/quotes/{id}/versions", Ct), HttpStatusCode.OK))["items"]!.AsArray();
        Assert.Equal([2, 1], versions.Select(v => v!["version"]!.GetValue<int>()));
        Assert.Equal([true, false], versions.Select(v => v!["current"]!.GetValue<bool>()));
        Assert.Equal(293.52m, versions[1]!["total"]!.GetValue<decimal>());
        var first = await Json(await api.GetAsync($"/api/v1/quotes/{id}/versions/1", Ct), HttpStatusCode.OK);
        Assert.Equal("Pagamento em 30 dias.", first["notes"]!.GetValue<string>());

        // Approving: the If-Match is required and must be current; an obsolete version is refused with a clear 409.
        Assert.Equal(HttpStatusCode.PreconditionRequired, (await Post(api, $"/api/v1/quotes/{id}/approve", new { }, null)).StatusCode);
        var obsolete = await Problem(await Post(api, $"/api/v1/quotes/{id}/approve", new { version = 1 }, "\"2\""), HttpStatusCode.Conflict);
        Assert.Contains("A versão 1", obsolete["detail"]!.GetValue<string>());
        Assert.Contains("versão 2", obsolete["detail"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.PreconditionFailed, (await Post(api, $"/api/v1/quotes/{id}/approve", new { version = 2 }, "\"1\"")).StatusCode);
        var approved = await Json(await Post(api, $"/api/v1/quotes/{id}/approve", new { version = 2 }, "\"2\""), HttpStatusCode.OK);
        Assert.Equal("Approved", approved["state"]!.GetValue<string>());
        Assert.NotNull(approved["decidedAt"]!.GetValue<DateTimeOffset?>());
        var again = await Problem(await Post(api, $"/api/v1/quotes/{id}/approve", new { }, "\"3\""), HttpStatusCode.Conflict);
        Assert.Contains("não está em aprovação", again["detail"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.Conflict, (await TicketSteps.Patch(api, $"/api/v1/quotes/{id}", new { notes = "depois" }, "\"3\"")).StatusCode);

        // It left the quotes awaiting approval and is among the sales, with the pipeline's totals.
        var pending = await Json(await api.GetAsync($"/api/v1/quotes?state=PendingApproval&pipelineId={pipelineId}", Ct), HttpStatusCode.OK);
        Assert.Empty(pending["items"]!.AsArray());
        var sales = await Json(await api.GetAsync($"/api/v1/sales?pipelineId={pipelineId}", Ct), HttpStatusCode.OK);
        Assert.Equal([id], sales["items"]!.AsArray().Select(s => s!["id"]!.GetValue<long>()));
        var totals = await Json(await api.GetAsync($"/api/v1/quotes/totals?state=Approved&pipelineId={pipelineId}", Ct), HttpStatusCode.OK);
        Assert.Equal(1, totals["count"]!.GetValue<int>());
        Assert.Equal(150m, totals["total"]!.GetValue<decimal>());

        // The ticket's history tells each step; the backbone raised each event once.
        var history = (await Json(await api.GetAsync($"/api/v1/tickets/{ticketId}/history", Ct), HttpStatusCode.OK))["items"]!.AsArray()
            .Where(h => h!["field"]!.GetValue<string>() == "quote").Select(h => h!["newValue"]!.GetValue<string>()).ToList();
        Assert.Equal(3, history.Count);
        Assert.Contains(history, h => h.Contains("aprovado (venda)") && h.Contains("R$ 150,00"));
        using var scope = App.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<Atende.Core.Data.AtendeDb>();
        var types = await db.Events.Where(e => e.TicketId == ticketId && e.Type.StartsWith("quote.")).Select(e => e.Type).ToListAsync(Ct);
        Assert.Equal(["quote.approved", "quote.created"], types.Order());
    }

    [Fact]
    public async Task Bad_lines_are_refused_naming_the_item_and_field_and_nothing_is_saved()
    {
        var (api, _, _, ticketId) = await TicketOfAdmin();
        async Task<JsonObject> Refused(object item, string field)
        {
            var problem = await Problem(await api.PostAsJsonAsync("/api/v1/quotes", new { ticketId, items = new[] { item } }, Ct), HttpStatusCode.BadRequest);
            Assert.True(problem["errors"]?[field] is not null, $"expected an error on {field}: {problem}");
            return problem;
        }
        await Refused(new { description = "Zero", quantity = 0, unitPrice = 10 }, "items[0].quantity");
        await Refused(new { description = "Negativa", quantity = -1, unitPrice = 10 }, "items[0].quantity");
        await Refused(new { description = "Milésimos", quantity = 1.0001m, unitPrice = 10 }, "items[0].quantity");
        await Refused(new { description = "Preço negativo", quantity = 1, unitPrice = -5 }, "items[0].unitPrice");
        await Refused(new { description = "Três casas", quantity = 1, unitPrice = 10.005m }, "items[0].unitPrice");
        var above = await Refused(new { description = "Desconto alto", quantity = 1, unitPrice = 10, discount = 10.01m }, "items[0].discount");
        Assert.Contains("R$ 10,01", above["errors"]!["items[0].discount"]![0]!.GetValue<string>());
        await Refused(new { description = "Mais de 100%", quantity = 1, unitPrice = 10, discountPercent = 101 }, "items[0].discount");
        await Refused(new { description = "", quantity = 1, unitPrice = 10 }, "items[0].description");
        await Refused(new { description = "Os dois descontos", quantity = 1, unitPrice = 10, discount = 1, discountPercent = 1 }, "items");
        var many = Enumerable.Range(1, 1000).Select(i => new { description = $"Item {i}", quantity = 1, unitPrice = 1 }).ToArray();
        var tooMany = await Problem(await api.PostAsJsonAsync("/api/v1/quotes", new { ticketId, items = many }, Ct), HttpStatusCode.BadRequest);
        Assert.Contains("no máximo 200 itens", tooMany["errors"]!["items"]![0]!.GetValue<string>());
        var past = await Problem(await api.PostAsJsonAsync("/api/v1/quotes",
            new { ticketId, items = new[] { new { description = "X", quantity = 1, unitPrice = 1 } }, validUntil = "9999-12-31" }, Ct), HttpStatusCode.BadRequest);
        Assert.NotNull(past["errors"]!["validUntil"]);
        Assert.Equal(HttpStatusCode.NotFound, (await api.PostAsJsonAsync("/api/v1/quotes",
            new { ticketId = long.MaxValue, items = new[] { new { description = "X", quantity = 1, unitPrice = 1 } } }, Ct)).StatusCode);

        // A deactivated catalog entry is refused; an active one fills the description and price.
        var catalog = await Json(await api.PostAsJsonAsync("/api/v1/settings/catalog-items", new { name = Unique("Limpeza de coifa"), kind = "Service", defaultPrice = 480m }, Ct), HttpStatusCode.Created);
        var catalogId = catalog["id"]!.GetValue<long>();
        var filled = await Json(await api.PostAsJsonAsync("/api/v1/quotes", new { ticketId, items = new[] { new { catalogItemId = catalogId, quantity = 2 } } }, Ct), HttpStatusCode.Created);
        Assert.Equal(catalog["name"]!.GetValue<string>(), filled["items"]![0]!["description"]!.GetValue<string>());
        Assert.Equal(960m, filled["total"]!.GetValue<decimal>());
        Assert.Equal(HttpStatusCode.OK, (await TicketSteps.Patch(api, $"/api/v1/settings/catalog-items/{catalogId}", new { active = false }, "\"1\"")).StatusCode);
        await Refused(new { catalogItemId = catalogId, quantity = 1 }, "items[0].catalogItemId");

        var listed = await Json(await api.GetAsync($"/api/v1/quotes?ticketId={ticketId}", Ct), HttpStatusCode.OK);
        Assert.Single(listed["items"]!.AsArray());
    }

    [Fact]
    public async Task An_agent_sees_only_quotes_of_tickets_they_see_in_lists_totals_and_by_id()
    {
        var (api, workspaceId, pipelineId, ticketId) = await TicketOfAdmin();
        var body = JsonSerializerHelper.ToObject(TwoItems());
        body["ticketId"] = ticketId;
        var quote = await Json(await api.PostAsJsonAsync("/api/v1/quotes", body, Ct), HttpStatusCode.Created);
        var id = quote["id"]!.GetValue<long>();
        // The agent has the workspace but not the pipeline: the ticket, and so its quote, is not theirs.
        var (_, token) = await App.CreateUser(fixture.AdminToken, $"vendas-{Guid.NewGuid():N}@test.com.br", "Agent", workspaceId);
        var agent = App.Api(token);
        Assert.Equal(HttpStatusCode.NotFound, (await agent.GetAsync($"/api/v1/quotes/{id}", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Post(agent, $"/api/v1/quotes/{id}/approve", new { }, "\"1\"")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await TicketSteps.Patch(agent, $"/api/v1/quotes/{id}", new { notes = "x" }, "\"1\"")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await agent.PostAsJsonAsync("/api/v1/quotes", body, Ct)).StatusCode);
        var list = await Json(await agent.GetAsync($"/api/v1/quotes?pipelineId={pipelineId}", Ct), HttpStatusCode.OK);
        Assert.Empty(list["items"]!.AsArray());
        var totals = await Json(await agent.GetAsync("/api/v1/quotes/totals", Ct), HttpStatusCode.OK);
        Assert.DoesNotContain(list["items"]!.AsArray(), q => q!["id"]!.GetValue<long>() == id);
        Assert.Equal(0, totals["count"]!.GetValue<int>());
        var stillPending = await Json(await api.GetAsync($"/api/v1/quotes/{id}", Ct), HttpStatusCode.OK);
        Assert.Equal("PendingApproval", stillPending["state"]!.GetValue<string>());
    }

    [Fact]
    public async Task Quotes_follow_their_ticket_to_another_pipeline_or_workspace_and_so_does_who_sees_them()
    {
        var api = App.Api(fixture.AdminToken);
        var workspaceId = await App.CreateWorkspace(fixture.AdminToken, Unique("Domínio Vendas"));
        var otherWorkspaceId = await App.CreateWorkspace(fixture.AdminToken, Unique("Domínio Filial"));
        var (agentId, token) = await App.CreateUser(fixture.AdminToken, $"vendedor-{Guid.NewGuid():N}@test.com.br", "Agent", workspaceId);
        var agent = App.Api(token);
        var pipelineId = (await Pipeline(api, users: [agentId]))["id"]!.GetValue<long>();
        var otherPipelineId = (await Pipeline(api))["id"]!.GetValue<long>();
        var (partnerId, contactId) = await Partner(api, workspaceId, Unique("Padaria Pão Quente"), "Joana Prado");
        var ticket = await Ticket(api, pipelineId, partnerId, contactId, "Orçamento de manutenção");
        var ticketId = ticket["id"]!.GetValue<long>();
        var body = JsonSerializerHelper.ToObject(TwoItems());
        body["ticketId"] = ticketId;
        var id = (await Json(await api.PostAsJsonAsync("/api/v1/quotes", body, Ct), HttpStatusCode.Created))["id"]!.GetValue<long>();
        async Task<(HttpStatusCode One, int Listed, decimal Receivable)> AgentView(long pipeline)
        {
            var one = (await agent.GetAsync($"/api/v1/quotes/{id}", Ct)).StatusCode;
            var list = await Json(await agent.GetAsync($"/api/v1/quotes?ticketId={ticketId}", Ct), HttpStatusCode.OK);
            var totals = await Json(await agent.GetAsync($"/api/v1/quotes/totals?state=PendingApproval&pipelineId={pipeline}", Ct), HttpStatusCode.OK);
            return (one, list["items"]!.AsArray().Count, totals["total"]!.GetValue<decimal>());
        }
        Assert.Equal((HttpStatusCode.OK, 1, 293.52m), await AgentView(pipelineId));

        // Moved to a pipeline the agent is not authorized on: the quote goes with it.
        await Json(await api.PostAsJsonAsync($"/api/v1/tickets/{ticketId}/move", new { pipelineId = otherPipelineId }, Ct), HttpStatusCode.OK);
        Assert.Equal((HttpStatusCode.NotFound, 0, 0m), await AgentView(pipelineId));
        var adminTotals = await Json(await api.GetAsync($"/api/v1/quotes/totals?state=PendingApproval&pipelineId={otherPipelineId}", Ct), HttpStatusCode.OK);
        Assert.Equal(293.52m, adminTotals["total"]!.GetValue<decimal>());
        await Json(await api.PostAsJsonAsync($"/api/v1/tickets/{ticketId}/move", new { pipelineId }, Ct), HttpStatusCode.OK);
        Assert.Equal((HttpStatusCode.OK, 1, 293.52m), await AgentView(pipelineId));

        // The partner moves to a workspace the agent lacks: its tickets and their quotes follow.
        var partner = await Json(await api.GetAsync($"/api/v1/partners/{partnerId}", Ct), HttpStatusCode.OK);
        await Json(await TicketSteps.Patch(api, $"/api/v1/partners/{partnerId}", new { workspaceId = otherWorkspaceId }, $"\"{partner["version"]}\""), HttpStatusCode.OK);
        Assert.Equal((HttpStatusCode.NotFound, 0, 0m), await AgentView(pipelineId));
    }

    [Fact]
    public async Task The_pipeline_list_header_shows_what_awaits_approval_and_a_receber_as_far_as_the_caller_sees()
    {
        var api = App.Api(fixture.AdminToken);
        var workspaceId = await App.CreateWorkspace(fixture.AdminToken, Unique("Domínio Vendas"));
        var agentWorkspaceId = await App.CreateWorkspace(fixture.AdminToken, Unique("Domínio Filial"));
        var email = $"vendedora-{Guid.NewGuid():N}@test.com.br";
        var (agentId, _) = await App.CreateUser(fixture.AdminToken, email, "Agent", agentWorkspaceId);
        var pipelineId = (await Pipeline(api, users: [agentId]))["id"]!.GetValue<long>();
        string Header(AngleSharp.Html.Dom.IHtmlDocument page) => page.QuerySelector(".pipeline-receivable")!.TextContent;

        var admin = await App.LoggedIn();
        Assert.Contains("Nenhum orçamento aguardando aprovação", Header(await admin.GetPage($"/tickets?pipelineId={pipelineId}")));
        foreach (var (ws, total) in new[] { (workspaceId, 100m), (workspaceId, 250.50m), (agentWorkspaceId, 1000m) })
        {
            var (partnerId, contactId) = await Partner(api, ws, Unique("Cliente"), "Contato");
            var ticketId = (await Ticket(api, pipelineId, partnerId, contactId, "Pedido"))["id"]!.GetValue<long>();
            await Json(await api.PostAsJsonAsync("/api/v1/quotes", new { ticketId, items = new[] { new { description = "Serviço", quantity = 1, unitPrice = total } } }, Ct),
                HttpStatusCode.Created);
        }
        // An approved one is a sale: no longer "a receber".
        var (soldPartner, soldContact) = await Partner(api, workspaceId, Unique("Cliente"), "Contato");
        var soldTicket = (await Ticket(api, pipelineId, soldPartner, soldContact, "Pedido fechado"))["id"]!.GetValue<long>();
        await Json(await api.PostAsJsonAsync("/api/v1/quotes", new { ticketId = soldTicket, state = "Approved", items = new[] { new { description = "X", quantity = 1, unitPrice = 5000 } } }, Ct),
            HttpStatusCode.Created);

        var header = Header(await admin.GetPage($"/tickets?pipelineId={pipelineId}"));
        Assert.Contains("3 orçamentos aguardando aprovação", header);
        Assert.Contains("A receber: R$ 1.350,50", header);
        var agent = await App.LoggedIn(email);
        header = Header(await agent.GetPage($"/tickets?pipelineId={pipelineId}"));
        Assert.Contains("1 orçamento aguardando aprovação", header);
        Assert.Contains("A receber: R$ 1.000,00", header);
    }

    [Fact]
    public async Task Kept_totals_agree_with_the_quotes_after_every_kind_of_change()
    {
        var api = App.Api(fixture.AdminToken);
        var workspaceId = await App.CreateWorkspace(fixture.AdminToken, Unique("Domínio Vendas"));
        var pipelineId = (await Pipeline(api))["id"]!.GetValue<long>();
        var otherPipelineId = (await Pipeline(api))["id"]!.GetValue<long>();
        var (partnerId, contactId) = await Partner(api, workspaceId, Unique("Padaria Pão Quente"), "Joana Prado");
        var tickets = new List<long>();
        var quotes = new List<long>();
        foreach (var price in new[] { 100m, 200.10m, 300.25m })
        {
            var ticketId = (await Ticket(api, pipelineId, partnerId, contactId, "Pedido"))["id"]!.GetValue<long>();
            tickets.Add(ticketId);
            quotes.Add((await Json(await api.PostAsJsonAsync("/api/v1/quotes", new { ticketId, items = new[] { new { description = "Serviço", quantity = 1, unitPrice = price } } }, Ct),
                HttpStatusCode.Created))["id"]!.GetValue<long>());
        }
        // Three ways to the same figures: the kept all-time rows (the header, unfiltered lists), the kept months of a period
        // with its partial edges summed, and a partner filter that sums the quotes themselves.
        async Task<(int Count, decimal Total)> Totals(string query) =>
            Read(await Json(await api.GetAsync($"/api/v1/quotes/totals?{query}", Ct), HttpStatusCode.OK));
        static (int, decimal) Read(JsonObject totals) => (totals["count"]!.GetValue<int>(), totals["total"]!.GetValue<decimal>());
        async Task Agree(params (string State, long Pipeline, int Count, decimal Total)[] expected)
        {
            foreach (var (state, pipeline, count, total) in expected)
            {
                Assert.Equal((count, total), await Totals($"state={state}&pipelineId={pipeline}"));
                Assert.Equal((count, total), await Totals($"state={state}&pipelineId={pipeline}&from=2000-01-15&to=2099-06-15"));
                Assert.Equal((count, total), await Totals($"state={state}&pipelineId={pipeline}&partnerId={partnerId}"));
            }
        }
        await Agree(("PendingApproval", pipelineId, 3, 600.35m), ("Approved", pipelineId, 0, 0m));

        // Revised (a new total), rejected, approved.
        await Json(await TicketSteps.Patch(api, $"/api/v1/quotes/{quotes[0]}", new { items = new[] { new { description = "Serviço", quantity = 2, unitPrice = 100m } } }, "\"1\""), HttpStatusCode.OK);
        await Agree(("PendingApproval", pipelineId, 3, 700.35m));
        await Json(await Post(api, $"/api/v1/quotes/{quotes[1]}/reject", new { }, "\"1\""), HttpStatusCode.OK);
        await Agree(("PendingApproval", pipelineId, 2, 500.25m), ("Rejected", pipelineId, 1, 200.10m));
        await Json(await Post(api, $"/api/v1/quotes/{quotes[2]}/approve", new { }, "\"1\""), HttpStatusCode.OK);
        await Agree(("PendingApproval", pipelineId, 1, 200m), ("Approved", pipelineId, 1, 300.25m), ("Rejected", pipelineId, 1, 200.10m));

        // The sale's ticket moves to another pipeline; the rejected one's ticket is trashed and purged.
        await Json(await api.PostAsJsonAsync($"/api/v1/tickets/{tickets[2]}/move", new { pipelineId = otherPipelineId }, Ct), HttpStatusCode.OK);
        await Agree(("Approved", pipelineId, 0, 0m), ("Approved", otherPipelineId, 1, 300.25m));
        Assert.Equal(HttpStatusCode.NoContent, (await api.DeleteAsync($"/api/v1/tickets/{tickets[1]}", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await api.PostAsync($"/api/v1/tickets/{tickets[1]}/purge", null, Ct)).StatusCode);
        await Agree(("Rejected", pipelineId, 0, 0m), ("PendingApproval", pipelineId, 1, 200m));

        // A quote dated back to the 20th of two months ago (as an import or the demo does) leaves this month for that one.
        using var scope = App.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<Atende.Core.Data.AtendeDb>();
        var back = DateTimeOffset.UtcNow.AddMonths(-2);
        var dated = new DateTimeOffset(back.Year, back.Month, 20, 15, 0, 0, TimeSpan.Zero);
        await db.Quotes.Where(q => q.Id == quotes[0]).ExecuteUpdateAsync(u => u.SetProperty(q => q.CreatedAt, dated), Ct);
        var monthOfIt = $"from={dated:yyyy-MM}-01&to={dated.AddMonths(1):yyyy-MM}-01";
        Assert.Equal((1, 200m), await Totals($"state=PendingApproval&pipelineId={pipelineId}&{monthOfIt}"));
        Assert.Equal((1, 200m), await Totals($"state=PendingApproval&pipelineId={pipelineId}&from={dated:yyyy-MM-dd}&to={dated:yyyy-MM-dd}"));
        Assert.Equal((0, 0m), await Totals($"state=PendingApproval&pipelineId={pipelineId}&from={DateTimeOffset.UtcNow.AddMonths(-1):yyyy-MM-dd}"));
        await Agree(("PendingApproval", pipelineId, 1, 200m));
        // The calendar's last months hold no whole month to add: the quotes are summed.
        Assert.Equal((0, 0m), await Totals($"state=PendingApproval&pipelineId={pipelineId}&from=9999-12-31"));
        Assert.Equal((0, 0m), await Totals($"state=PendingApproval&pipelineId={pipelineId}&from=9999-11-30"));

        // Whatever happened, the kept rows (all time and per month) equal a fresh count of every quote.
        var all = await db.Quotes.AsNoTracking().Select(q => new { q.PipelineId, q.WorkspaceId, q.State, q.CreatedAt, q.Total }).ToListAsync(Ct);
        var counted = all.GroupBy(q => $"{q.PipelineId}/{q.WorkspaceId}/{q.State}/0")
            .Concat(all.GroupBy(q => $"{q.PipelineId}/{q.WorkspaceId}/{q.State}/{Atende.Core.Sales.QuoteTotal.MonthOf(q.CreatedAt)}"))
            .Select(g => $"{g.Key}:{g.Count()}:{g.Sum(q => q.Total):0.00}").Order();
        var kept = (await db.QuoteTotals.Where(t => t.Count != 0).ToListAsync(Ct)).Select(t => $"{t.PipelineId}/{t.WorkspaceId}/{t.State}/{t.Month}:{t.Count}:{t.Total:0.00}").Order();
        Assert.Equal(counted, kept);
    }

    [Fact]
    public async Task Two_approvals_at_once_make_one_sale_and_one_409()
    {
        var (api, _, _, ticketId) = await TicketOfAdmin();
        var body = JsonSerializerHelper.ToObject(TwoItems());
        body["ticketId"] = ticketId;
        var id = (await Json(await api.PostAsJsonAsync("/api/v1/quotes", body, Ct), HttpStatusCode.Created))["id"]!.GetValue<long>();
        var other = App.Api(fixture.AdminToken);
        var both = await Task.WhenAll(Post(api, $"/api/v1/quotes/{id}/approve", new { version = 1 }, "\"1\""),
            Post(other, $"/api/v1/quotes/{id}/approve", new { version = 1 }, "\"1\""));
        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.Conflict], both.Select(r => r.StatusCode).Order());
        using var scope = App.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<Atende.Core.Data.AtendeDb>();
        Assert.Equal(1, await db.Events.CountAsync(e => e.TicketId == ticketId && e.Type == "quote.approved", Ct));
    }

    [Fact]
    public async Task Numbers_are_unique_and_never_reused_under_concurrent_creation()
    {
        var (api, _, _, ticketId) = await TicketOfAdmin();
        var body = JsonSerializerHelper.ToObject(TwoItems());
        body["ticketId"] = ticketId;
        var created = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => api.PostAsJsonAsync("/api/v1/quotes", body, Ct)));
        var numbers = new List<string>();
        foreach (var response in created)
        {
            numbers.Add((await Json(response, HttpStatusCode.Created))["number"]!.GetValue<string>());
        }
        Assert.Equal(6, numbers.Distinct().Count());
    }
}

public sealed class QuoteApiTestsSqlite(SqliteFixture fixture) : QuoteApiTests(fixture), IClassFixture<SqliteFixture>;

public sealed class QuoteApiTestsPostgres(PostgresFixture fixture) : QuoteApiTests(fixture), IClassFixture<PostgresFixture>;
