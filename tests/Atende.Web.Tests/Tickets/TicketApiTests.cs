using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Atende.Web.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Atende.Web.Tests.Tickets;

/// <summary>Shared steps for ticket tests: a pipeline with tags, a partner with a contact, a ticket.</summary>
public static class TicketSteps
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static string Unique(string name) => $"{name} {Guid.NewGuid().ToString("N")[..6]}";

    public static string UniqueAlias() => "T" + Guid.NewGuid().ToString("N")[..6].ToUpperInvariant().Replace('-', 'X');

    public static async Task<JsonObject> Json(HttpResponseMessage response, HttpStatusCode status)
    {
        var body = await response.Content.ReadAsStringAsync(Ct);
        Assert.True(response.StatusCode == status, $"expected {(int)status}, got {(int)response.StatusCode}: {body}");
        return body.Length == 0 ? [] : JsonNode.Parse(body)!.AsObject();
    }

    public static async Task<JsonObject> Problem(HttpResponseMessage response, HttpStatusCode status)
    {
        var json = await Json(response, status);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        return json;
    }

    public static async Task<JsonObject> Pipeline(HttpClient api, string? alias = null, long[]? users = null, string[]? tags = null)
    {
        var pipeline = await Json(await api.PostAsJsonAsync("/api/v1/pipelines",
            new { name = Unique("Fluxo"), alias = alias ?? UniqueAlias(), description = "Vendas de teste", authorizedUserIds = users ?? [] }, Ct), HttpStatusCode.Created);
        foreach (var tag in tags ?? [])
        {
            await Json(await api.PostAsJsonAsync($"/api/v1/pipelines/{pipeline["id"]}/tags", new { name = tag }, Ct), HttpStatusCode.Created);
        }
        return pipeline;
    }

    public static async Task<long[]> TagIds(HttpClient api, long pipelineId) =>
        (await Json(await api.GetAsync($"/api/v1/pipelines/{pipelineId}/tags", Ct), HttpStatusCode.OK))["items"]!.AsArray()
        .Select(t => t!["id"]!.GetValue<long>()).ToArray();

    public static async Task<(long PartnerId, long ContactId)> Partner(HttpClient api, long workspaceId, string name, string contact, long? accountManagerId = null)
    {
        var partner = await Json(await api.PostAsJsonAsync("/api/v1/partners", new { name, workspaceId, accountManagerId }, Ct), HttpStatusCode.Created);
        var created = await Json(await api.PostAsJsonAsync($"/api/v1/partners/{partner["id"]}/contacts", new { name = contact }, Ct), HttpStatusCode.Created);
        return (partner["id"]!.GetValue<long>(), created["id"]!.GetValue<long>());
    }

    public static async Task<JsonObject> Ticket(HttpClient api, long pipelineId, long partnerId, long? contactId, string title, object? extra = null)
    {
        var body = new JsonObject { ["pipelineId"] = pipelineId, ["partnerId"] = partnerId, ["contactId"] = contactId, ["title"] = title };
        if (extra is not null)
        {
            foreach (var (key, value) in JsonSerializerHelper.ToObject(extra))
            {
                body[key] = value?.DeepClone();
            }
        }
        return await Json(await api.PostAsJsonAsync("/api/v1/tickets", body, Ct), HttpStatusCode.Created);
    }

    public static async Task<HttpResponseMessage> Patch(HttpClient api, string url, object body, string? etag)
    {
        using var request = new HttpRequestMessage(HttpMethod.Patch, url) { Content = JsonContent.Create(body) };
        if (etag is not null)
        {
            request.Headers.IfMatch.Add(etag == "*" ? EntityTagHeaderValue.Any : new EntityTagHeaderValue(etag));
        }
        return await api.SendAsync(request, Ct);
    }

    public static async Task<string[]> References(HttpClient api, string query) =>
        (await Json(await api.GetAsync("/api/v1/tickets?" + query, Ct), HttpStatusCode.OK))["items"]!.AsArray()
        .Select(t => t!["reference"]!.GetValue<string>()).ToArray();
}

internal static class JsonSerializerHelper
{
    public static JsonObject ToObject(object value) => System.Text.Json.JsonSerializer.SerializeToNode(value)!.AsObject();
}

public abstract class TicketApiTests(AppFixture fixture)
{
    private TestApp App => fixture.App;
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task<(HttpClient Api, long WorkspaceId)> Admin()
    {
        var api = App.Api(fixture.AdminToken);
        var workspaceId = await App.CreateWorkspace(fixture.AdminToken, TicketSteps.Unique("Domínio"));
        return (api, workspaceId);
    }

    [Fact]
    public async Task A_default_pipeline_exists_after_setup()
    {
        var api = App.Api(fixture.AdminToken);
        var list = await TicketSteps.Json(await api.GetAsync("/api/v1/pipelines", Ct), HttpStatusCode.OK);
        var atendimentos = list["items"]!.AsArray().Single(p => p!["alias"]!.GetValue<string>() == "ATD");
        Assert.Equal("Atendimentos", atendimentos!["name"]!.GetValue<string>());
    }

    [Fact]
    public async Task Pipeline_alias_is_validated_unique_and_upper_cased()
    {
        var (api, _) = await Admin();
        var alias = TicketSteps.UniqueAlias();
        var created = await TicketSteps.Json(await api.PostAsJsonAsync("/api/v1/pipelines", new { name = TicketSteps.Unique("Vendas"), alias = alias.ToLowerInvariant() }, Ct), HttpStatusCode.Created);
        Assert.Equal(alias, created["alias"]!.GetValue<string>());

        var taken = await TicketSteps.Problem(await api.PostAsJsonAsync("/api/v1/pipelines", new { name = TicketSteps.Unique("Outro"), alias }, Ct), HttpStatusCode.BadRequest);
        Assert.Contains("já é usado", taken["errors"]!["alias"]![0]!.GetValue<string>(), StringComparison.Ordinal);
        var bad = await TicketSteps.Problem(await api.PostAsJsonAsync("/api/v1/pipelines", new { name = TicketSteps.Unique("Outro"), alias = "VÊN-1" }, Ct), HttpStatusCode.BadRequest);
        Assert.Contains("letras sem acento", bad["errors"]!["alias"]![0]!.GetValue<string>(), StringComparison.Ordinal);
        var empty = await TicketSteps.Problem(await api.PostAsJsonAsync("/api/v1/pipelines", new { name = " ", alias = "ABCDEFGHIJK" }, Ct), HttpStatusCode.BadRequest);
        Assert.NotNull(empty["errors"]!["name"]);
        Assert.Contains("no máximo 10", empty["errors"]!["alias"]![0]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Creating_a_ticket_numbers_it_fills_price_and_account_manager_and_records_history()
    {
        var (api, ws) = await Admin();
        var pipeline = await TicketSteps.Pipeline(api);
        var alias = pipeline["alias"]!.GetValue<string>();
        var (managerId, _) = await App.CreateUser(fixture.AdminToken, $"contador{Guid.NewGuid():N}@test.com.br", "Agent", ws);
        var (partnerId, contactId) = await TicketSteps.Partner(api, ws, TicketSteps.Unique("Padaria Pão Doce"), "Joana Almeida", managerId);
        var items = await TicketSteps.Json(await api.GetAsync("/api/v1/settings/catalog-items", Ct), HttpStatusCode.OK);
        var item = items["items"]!.AsArray().First(i => i!["name"]!.GetValue<string>() == "Implantação")!;

        var first = await TicketSteps.Ticket(api, pipeline["id"]!.GetValue<long>(), partnerId, contactId, "  Instalar   o sistema ", new { catalogItemId = item["id"]!.GetValue<long>() });
        var second = await TicketSteps.Ticket(api, pipeline["id"]!.GetValue<long>(), partnerId, null, "Segundo", new { catalogItemId = item["id"]!.GetValue<long>(), value = 99.9m });

        Assert.Equal($"{alias}-1", first["reference"]!.GetValue<string>());
        Assert.Equal($"{alias}-2", second["reference"]!.GetValue<string>());
        Assert.Equal("Instalar o sistema", first["title"]!.GetValue<string>());
        Assert.Equal("Open", first["status"]!.GetValue<string>());
        Assert.Equal(1500m, first["value"]!.GetValue<decimal>());
        Assert.Equal(99.9m, second["value"]!.GetValue<decimal>());
        Assert.Equal(managerId, first["accountManagerId"]!.GetValue<long>());
        Assert.Equal("Joana Almeida", first["requesterName"]!.GetValue<string>());
        Assert.False(first["edited"]!.GetValue<bool>());

        var history = await TicketSteps.Json(await api.GetAsync($"/api/v1/tickets/{first["id"]}/history", Ct), HttpStatusCode.OK);
        var created = history["items"]!.AsArray().Single();
        Assert.Equal("created", created!["field"]!.GetValue<string>());
        Assert.Equal("Administradora Teste", created["userName"]!.GetValue<string>());
    }

    [Fact]
    public async Task Concurrent_creations_get_distinct_consecutive_references()
    {
        var (api, ws) = await Admin();
        var pipeline = await TicketSteps.Pipeline(api);
        var alias = pipeline["alias"]!.GetValue<string>();
        var (partnerId, _) = await TicketSteps.Partner(api, ws, TicketSteps.Unique("Cliente"), "Ana");
        var clients = Enumerable.Range(0, 8).Select(_ => App.Api(fixture.AdminToken)).ToList();
        var created = await Task.WhenAll(Enumerable.Range(0, 24).Select(i =>
            TicketSteps.Ticket(clients[i % clients.Count], pipeline["id"]!.GetValue<long>(), partnerId, null, $"Paralelo {i}")));
        var references = created.Select(t => t["reference"]!.GetValue<string>()).Order().ToList();
        Assert.Equal(Enumerable.Range(1, 24).Select(n => $"{alias}-{n}").Order(), references);
        clients.ForEach(c => c.Dispose());
    }

    [Fact]
    public async Task A_reference_is_never_reused_when_its_alias_moves_to_another_pipeline()
    {
        var (api, ws) = await Admin();
        var alias = TicketSteps.UniqueAlias();
        var first = await TicketSteps.Pipeline(api, alias);
        var (partnerId, _) = await TicketSteps.Partner(api, ws, TicketSteps.Unique("Cliente"), "Ana");
        await TicketSteps.Ticket(api, first["id"]!.GetValue<long>(), partnerId, null, "Antigo");
        var etag = (await api.GetAsync($"/api/v1/pipelines/{first["id"]}", Ct)).Headers.ETag!.Tag;
        await TicketSteps.Json(await TicketSteps.Patch(api, $"/api/v1/pipelines/{first["id"]}", new { alias = alias + "X" }, etag), HttpStatusCode.OK);
        var second = await TicketSteps.Pipeline(api, alias);

        var ticket = await TicketSteps.Ticket(api, second["id"]!.GetValue<long>(), partnerId, null, "Novo");
        Assert.Equal($"{alias}-2", ticket["reference"]!.GetValue<string>());
    }

    [Fact]
    public async Task Ticket_validation_names_each_field_and_saves_nothing()
    {
        var (api, ws) = await Admin();
        var pipeline = await TicketSteps.Pipeline(api);
        var other = await TicketSteps.Pipeline(api, tags: ["Alheia"]);
        var otherTag = (await TicketSteps.TagIds(api, other["id"]!.GetValue<long>()))[0];
        var (partnerId, _) = await TicketSteps.Partner(api, ws, TicketSteps.Unique("Cliente"), "Ana");
        var (_, foreignContact) = await TicketSteps.Partner(api, ws, TicketSteps.Unique("Outro Cliente"), "Beto");

        var problem = await TicketSteps.Problem(await api.PostAsJsonAsync("/api/v1/tickets", new
        {
            pipelineId = pipeline["id"]!.GetValue<long>(), partnerId, contactId = foreignContact, title = "", value = -1m, tagIds = new[] { otherTag },
        }, Ct), HttpStatusCode.BadRequest);
        var errors = problem["errors"]!.AsObject();
        Assert.Equal("Título é obrigatório.", errors["title"]![0]!.GetValue<string>());
        Assert.Contains("não pertence", errors["contactId"]![0]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains("negativo", errors["value"]![0]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.NotNull(errors["tagIds"]);
        Assert.Empty(await TicketSteps.References(api, $"pipelineId={pipeline["id"]}"));

        var unknown = await TicketSteps.Problem(await api.PostAsJsonAsync("/api/v1/tickets", new { pipelineId = pipeline["id"]!.GetValue<long>(), partnerId, title = "x", color = "red" }, Ct), HttpStatusCode.BadRequest);
        Assert.NotNull(unknown["errors"]!["color"]);
    }

    [Fact]
    public async Task Inactive_pipeline_takes_no_new_tickets()
    {
        var (api, ws) = await Admin();
        var pipeline = await TicketSteps.Pipeline(api);
        var (partnerId, _) = await TicketSteps.Partner(api, ws, TicketSteps.Unique("Cliente"), "Ana");
        var get = await api.GetAsync($"/api/v1/pipelines/{pipeline["id"]}", Ct);
        await TicketSteps.Json(await TicketSteps.Patch(api, $"/api/v1/pipelines/{pipeline["id"]}", new { active = false }, get.Headers.ETag!.Tag), HttpStatusCode.OK);

        var problem = await TicketSteps.Problem(await api.PostAsJsonAsync("/api/v1/tickets", new { pipelineId = pipeline["id"]!.GetValue<long>(), partnerId, title = "Novo" }, Ct), HttpStatusCode.BadRequest);
        Assert.Contains("inativo", problem["errors"]!["pipelineId"]![0]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Deleting_a_pipeline_with_tickets_is_refused_with_the_count()
    {
        var (api, ws) = await Admin();
        var pipeline = await TicketSteps.Pipeline(api);
        var id = pipeline["id"]!.GetValue<long>();
        var (partnerId, _) = await TicketSteps.Partner(api, ws, TicketSteps.Unique("Cliente"), "Ana");
        var a = await TicketSteps.Ticket(api, id, partnerId, null, "Um");
        await TicketSteps.Ticket(api, id, partnerId, null, "Dois");
        await TicketSteps.Json(await api.DeleteAsync($"/api/v1/tickets/{a["id"]}", Ct), HttpStatusCode.NoContent);

        var refused = await TicketSteps.Problem(await api.DeleteAsync($"/api/v1/pipelines/{id}", Ct), HttpStatusCode.Conflict);
        Assert.Contains("2 atendimentos", refused["detail"]!.GetValue<string>(), StringComparison.Ordinal);

        var empty = await TicketSteps.Pipeline(api);
        await TicketSteps.Json(await api.DeleteAsync($"/api/v1/pipelines/{empty["id"]}", Ct), HttpStatusCode.NoContent);
        Assert.Equal(HttpStatusCode.NotFound, (await api.GetAsync($"/api/v1/pipelines/{empty["id"]}", Ct)).StatusCode);
    }

    [Fact]
    public async Task Tags_are_created_renamed_recolored_reordered_and_TODOS_is_reserved()
    {
        var (api, _) = await Admin();
        var pipeline = await TicketSteps.Pipeline(api, tags: ["Novo", "Proposta", "Fechado"]);
        var id = pipeline["id"]!.GetValue<long>();
        var tags = await TicketSteps.TagIds(api, id);

        var todos = await TicketSteps.Problem(await api.PostAsJsonAsync($"/api/v1/pipelines/{id}/tags", new { name = "todos" }, Ct), HttpStatusCode.BadRequest);
        Assert.Contains("TODOS", todos["errors"]!["name"]![0]!.GetValue<string>(), StringComparison.Ordinal);
        var duplicate = await TicketSteps.Problem(await api.PostAsJsonAsync($"/api/v1/pipelines/{id}/tags", new { name = "PROPOSTA" }, Ct), HttpStatusCode.BadRequest);
        Assert.Contains("Já existe", duplicate["errors"]!["name"]![0]!.GetValue<string>(), StringComparison.Ordinal);
        var color = await TicketSteps.Problem(await TicketSteps.Patch(api, $"/api/v1/pipelines/{id}/tags/{tags[0]}", new { color = "vermelho" }, "*"), HttpStatusCode.BadRequest);
        Assert.NotNull(color["errors"]!["color"]);

        var renamed = await TicketSteps.Json(await TicketSteps.Patch(api, $"/api/v1/pipelines/{id}/tags/{tags[0]}", new { name = "Novo lead", color = "#FF0000" }, "*"), HttpStatusCode.OK);
        Assert.Equal("Novo lead", renamed["name"]!.GetValue<string>());
        Assert.Equal("#ff0000", renamed["color"]!.GetValue<string>());

        var reordered = await TicketSteps.Json(await api.PutAsJsonAsync($"/api/v1/pipelines/{id}/tags/order", new { tagIds = new[] { tags[2], tags[0], tags[1] } }, Ct), HttpStatusCode.OK);
        Assert.Equal(["Fechado", "Novo lead", "Proposta"], reordered["items"]!.AsArray().Select(t => t!["name"]!.GetValue<string>()));
        await TicketSteps.Problem(await api.PutAsJsonAsync($"/api/v1/pipelines/{id}/tags/order", new { tagIds = new[] { tags[2], tags[0] } }, Ct), HttpStatusCode.BadRequest);

        await TicketSteps.Json(await api.DeleteAsync($"/api/v1/pipelines/{id}/tags/{tags[1]}", Ct), HttpStatusCode.NoContent);
        Assert.Equal([tags[2], tags[0]], await TicketSteps.TagIds(api, id));
    }

    [Fact]
    public async Task A_status_is_one_of_its_names_never_a_number_or_a_combination()
    {
        var (api, ws) = await Admin();
        var pipeline = await TicketSteps.Pipeline(api);
        var (partnerId, _) = await TicketSteps.Partner(api, ws, TicketSteps.Unique("Cliente"), "Ana");
        var ticket = await TicketSteps.Ticket(api, pipeline["id"]!.GetValue<long>(), partnerId, null, "Situações estranhas");
        var id = ticket["id"]!.GetValue<long>();
        foreach (var body in new object[] { new { status = "Open,Done" }, new { status = "3" }, new { status = 6 }, new { status = "Dormindo" } })
        {
            var refused = await TicketSteps.Problem(await api.PostAsJsonAsync($"/api/v1/tickets/{id}/status", body, Ct), HttpStatusCode.BadRequest);
            Assert.Contains("Open, Reopened, Analyzing", refused["errors"]!["status"]![0]!.GetValue<string>(), StringComparison.Ordinal);
        }
        foreach (var query in new[] { "Open,Done", "3" })
        {
            var refused = await TicketSteps.Problem(await api.GetAsync($"/api/v1/tickets?pipelineId={pipeline["id"]}&status={Uri.EscapeDataString(query)}", Ct), HttpStatusCode.BadRequest);
            Assert.NotNull(refused["errors"]!["status"]);
        }
        // A due date in the year 9999 is refused, naming the field.
        var farAway = await TicketSteps.Problem(await api.PostAsJsonAsync("/api/v1/tickets",
            new { pipelineId = pipeline["id"]!.GetValue<long>(), partnerId, title = "Daqui a muito tempo", dueAt = "9999-12-31T10:00:00-03:00" }, Ct), HttpStatusCode.BadRequest);
        Assert.NotNull(farAway["errors"]!["dueAt"]);
        // A value of the wrong type names its field too.
        var wrongType = await TicketSteps.Problem(await api.PostAsJsonAsync($"/api/v1/tickets/{id}/move", new { pipelineId = "outro" }, Ct), HttpStatusCode.BadRequest);
        Assert.NotNull(wrongType["errors"]!["pipelineId"]);
        // Names in any case still work, as before.
        Assert.Equal("Waiting", (await TicketSteps.Json(await api.PostAsJsonAsync($"/api/v1/tickets/{id}/status", new { status = "waiting" }, Ct), HttpStatusCode.OK))["status"]!.GetValue<string>());
        await TicketSteps.Json(await api.PostAsJsonAsync($"/api/v1/tickets/{id}/status", new { status = "Open" }, Ct), HttpStatusCode.OK);
        var history = (await TicketSteps.Json(await api.GetAsync($"/api/v1/tickets/{id}/history", Ct), HttpStatusCode.OK))["items"]!.AsArray();
        Assert.Equal(["Aberto -> Aguardando", "Aguardando -> Aberto"],
            history.Where(h => h!["field"]!.GetValue<string>() == "status").Select(h => $"{h!["oldValue"]} -> {h["newValue"]}").Reverse());
    }

    [Fact]
    public async Task Status_changes_reopen_and_tags_are_recorded_in_the_history_and_end_notify()
    {
        var (api, ws) = await Admin();
        var pipeline = await TicketSteps.Pipeline(api, tags: ["Urgente", "Financeiro"]);
        var tags = await TicketSteps.TagIds(api, pipeline["id"]!.GetValue<long>());
        var (partnerId, _) = await TicketSteps.Partner(api, ws, TicketSteps.Unique("Cliente"), "Ana");
        var ticket = await TicketSteps.Ticket(api, pipeline["id"]!.GetValue<long>(), partnerId, null, "Nota fiscal");
        var id = ticket["id"]!.GetValue<long>();

        var notified = await TicketSteps.Json(await api.PostAsync($"/api/v1/tickets/{id}/notify", null, Ct), HttpStatusCode.OK);
        Assert.NotNull(notified["notifiedAt"]);
        var reopenOpen = await TicketSteps.Problem(await api.PostAsync($"/api/v1/tickets/{id}/reopen", null, Ct), HttpStatusCode.Conflict);
        Assert.Contains("Aberto", reopenOpen["detail"]!.GetValue<string>(), StringComparison.Ordinal);

        await TicketSteps.Json(await api.PostAsJsonAsync($"/api/v1/tickets/{id}/status", new { status = "Done" }, Ct), HttpStatusCode.OK);
        var reopened = await TicketSteps.Json(await api.PostAsync($"/api/v1/tickets/{id}/reopen", null, Ct), HttpStatusCode.OK);
        Assert.Equal("Reopened", reopened["status"]!.GetValue<string>());
        await TicketSteps.Json(await api.PostAsync($"/api/v1/tickets/{id}/tags/{tags[1]}", null, Ct), HttpStatusCode.OK);
        var tagged = await TicketSteps.Json(await api.PostAsync($"/api/v1/tickets/{id}/tags/{tags[0]}", null, Ct), HttpStatusCode.OK);
        Assert.Equal(tags.Order(), tagged["tagIds"]!.AsArray().Select(t => t!.GetValue<long>()));
        Assert.True(tagged["edited"]!.GetValue<bool>());

        var late = await TicketSteps.Problem(await api.PostAsync($"/api/v1/tickets/{id}/notify", null, Ct), HttpStatusCode.Conflict);
        Assert.Contains("já foi alterado", late["detail"]!.GetValue<string>(), StringComparison.Ordinal);

        var history = (await TicketSteps.Json(await api.GetAsync($"/api/v1/tickets/{id}/history", Ct), HttpStatusCode.OK))["items"]!.AsArray();
        var lines = history.Select(h => $"{h!["field"]}: {h["oldValue"]} -> {h["newValue"]}").ToList();
        Assert.Equal(
            ["tags: Financeiro -> Urgente, Financeiro", "tags:  -> Financeiro", "status: Finalizado -> Reaberto", "status: Aberto -> Finalizado", "notified:  -> ", "created:  -> " + ticket["reference"]],
            lines);
    }

    [Fact]
    public async Task Stale_edits_are_refused_naming_who_changed_the_ticket()
    {
        var (api, ws) = await Admin();
        var pipeline = await TicketSteps.Pipeline(api);
        var (partnerId, _) = await TicketSteps.Partner(api, ws, TicketSteps.Unique("Cliente"), "Ana");
        var ticket = await TicketSteps.Ticket(api, pipeline["id"]!.GetValue<long>(), partnerId, null, "Original");
        var url = $"/api/v1/tickets/{ticket["id"]}";
        var etag = (await api.GetAsync(url, Ct)).Headers.ETag!.Tag;

        await TicketSteps.Problem(await TicketSteps.Patch(api, url, new { title = "Sem versão" }, null), (HttpStatusCode)428);
        var first = await TicketSteps.Patch(api, url, new { title = "Primeira edição", value = 10.5m }, etag);
        await TicketSteps.Json(first, HttpStatusCode.OK);
        Assert.NotEqual(etag, first.Headers.ETag!.Tag);
        var stale = await TicketSteps.Problem(await TicketSteps.Patch(api, url, new { title = "Segunda edição" }, etag), HttpStatusCode.PreconditionFailed);
        Assert.Matches(@"alterado por Administradora Teste em \d\d/\d\d/\d{4} às \d\d:\d\d", stale["detail"]!.GetValue<string>());

        var current = await TicketSteps.Json(await api.GetAsync(url, Ct), HttpStatusCode.OK);
        Assert.Equal("Primeira edição", current["title"]!.GetValue<string>());
        var history = (await TicketSteps.Json(await api.GetAsync(url + "/history", Ct), HttpStatusCode.OK))["items"]!.AsArray();
        Assert.Contains(history, h => h!["field"]!.GetValue<string>() == "value" && h["oldValue"]!.GetValue<string>() == "R$ 0,00" && h["newValue"]!.GetValue<string>() == "R$ 10,50");
        Assert.Contains(history, h => h!["field"]!.GetValue<string>() == "title" && h["oldValue"]!.GetValue<string>() == "Original");
    }

    [Fact]
    public async Task A_partner_change_refuses_the_old_partners_contact_and_refreshes_the_requester()
    {
        var (api, ws) = await Admin();
        var pipeline = await TicketSteps.Pipeline(api);
        var (oldPartner, oldContact) = await TicketSteps.Partner(api, ws, TicketSteps.Unique("Antiga"), "Ana");
        var newName = TicketSteps.Unique("Nova Entidade");
        var (newPartner, _) = await TicketSteps.Partner(api, ws, newName, "Bia");
        var ticket = await TicketSteps.Ticket(api, pipeline["id"]!.GetValue<long>(), oldPartner, oldContact, "Trocar solicitante");
        var url = $"/api/v1/tickets/{ticket["id"]}";
        var etag = (await api.GetAsync(url, Ct)).Headers.ETag!.Tag;

        var kept = await TicketSteps.Problem(await TicketSteps.Patch(api, url, new { partnerId = newPartner }, etag), HttpStatusCode.BadRequest);
        Assert.Contains("entidade anterior", kept["errors"]!["contactId"]![0]!.GetValue<string>(), StringComparison.Ordinal);

        var changed = await TicketSteps.Json(await TicketSteps.Patch(api, url, new { partnerId = newPartner, contactId = (long?)null }, etag), HttpStatusCode.OK);
        Assert.Equal(newPartner, changed["partnerId"]!.GetValue<long>());
        Assert.Equal(newName, changed["requesterName"]!.GetValue<string>());
        Assert.Equal([ticket["reference"]!.GetValue<string>()], await TicketSteps.References(api, $"pipelineId={pipeline["id"]}&q={Uri.EscapeDataString(newName)}"));
    }

    [Fact]
    public async Task List_sorts_by_each_column_and_pages_by_keyset_without_gaps_or_repeats()
    {
        var (api, ws) = await Admin();
        var bruno = await NamedAgent(api, ws, "bruno Lima");
        var agata = await NamedAgent(api, ws, "Ágata Reis");
        var pipeline = await TicketSteps.Pipeline(api, users: [bruno, agata]);
        var pipelineId = pipeline["id"]!.GetValue<long>();
        var (partnerId, _) = await TicketSteps.Partner(api, ws, TicketSteps.Unique("Cliente"), "Ana");
        var titles = new[] { "Banana", "abacaxi", "Ábaco", "caju", "Damasco", "banana" };
        var assignees = new long?[] { bruno, null, agata, bruno, null, agata };
        for (var i = 0; i < titles.Length; i++)
        {
            await TicketSteps.Ticket(api, pipelineId, partnerId, null, titles[i],
                new { value = (i % 3) * 10m, dueAt = i % 2 == 0 ? DateTimeOffset.UtcNow.AddDays(i) : (DateTimeOffset?)null, assigneeId = assignees[i] });
        }
        foreach (var sort in new[] { "-updatedAt", "updatedAt", "createdAt", "-createdAt", "reference", "-reference", "status", "title", "-title", "requester", "value", "-value", "dueAt", "-dueAt", "assignee", "-assignee" })
        {
            var all = await TicketSteps.Json(await api.GetAsync($"/api/v1/tickets?pipelineId={pipelineId}&sort={sort}&limit=100", Ct), HttpStatusCode.OK);
            var expected = all["items"]!.AsArray().Select(t => t!["id"]!.GetValue<long>()).ToList();
            Assert.Equal(titles.Length, expected.Count);
            var paged = new List<long>();
            string? after = null;
            do
            {
                var page = await TicketSteps.Json(await api.GetAsync($"/api/v1/tickets?pipelineId={pipelineId}&sort={sort}&limit=2&after={after}", Ct), HttpStatusCode.OK);
                paged.AddRange(page["items"]!.AsArray().Select(t => t!["id"]!.GetValue<long>()));
                after = page["next"]?.GetValue<string>();
            }
            while (after is not null);
            Assert.Equal(expected, paged);
        }
        var byTitle = await TicketSteps.Json(await api.GetAsync($"/api/v1/tickets?pipelineId={pipelineId}&sort=title", Ct), HttpStatusCode.OK);
        Assert.Equal(["abacaxi", "Ábaco", "Banana", "banana", "caju", "Damasco"], byTitle["items"]!.AsArray().Select(t => t!["title"]!.GetValue<string>()));
        var byDue = await TicketSteps.Json(await api.GetAsync($"/api/v1/tickets?pipelineId={pipelineId}&sort=-dueAt", Ct), HttpStatusCode.OK);
        Assert.Equal([false, false, false, true, true, true], byDue["items"]!.AsArray().Select(t => t!["dueAt"] is null));
        // Accents and case ignored, tickets without assignee last either way, ties by id.
        Assert.Equal(["Ágata Reis", "Ágata Reis", "bruno Lima", "bruno Lima", null, null], await AssigneeNames(api, pipelineId, "assignee"));
        Assert.Equal(["bruno Lima", "bruno Lima", "Ágata Reis", "Ágata Reis", null, null], await AssigneeNames(api, pipelineId, "-assignee"));
        var bad = await TicketSteps.Problem(await api.GetAsync($"/api/v1/tickets?pipelineId={pipelineId}&sort=color", Ct), HttpStatusCode.BadRequest);
        Assert.NotNull(bad["errors"]!["sort"]);
    }

    [Fact]
    public async Task Renaming_a_user_renames_and_reorders_their_tickets_by_assignee()
    {
        var (api, ws) = await Admin();
        var carla = await NamedAgent(api, ws, "Carla Dias");
        var davi = await NamedAgent(api, ws, "Davi Souza");
        var pipeline = await TicketSteps.Pipeline(api, users: [carla, davi]);
        var pipelineId = pipeline["id"]!.GetValue<long>();
        var (partnerId, _) = await TicketSteps.Partner(api, ws, TicketSteps.Unique("Cliente"), "Ana");
        var first = await TicketSteps.Ticket(api, pipelineId, partnerId, null, "Um", new { assigneeId = carla });
        var second = await TicketSteps.Ticket(api, pipelineId, partnerId, null, "Dois", new { assigneeId = davi });
        var third = await TicketSteps.Ticket(api, pipelineId, partnerId, null, "Três");
        Assert.Equal(["Carla Dias", "Davi Souza", null], await AssigneeNames(api, pipelineId, "assignee"));

        await TicketSteps.Json(await TicketSteps.Patch(api, $"/api/v1/users/{carla}", new { name = "Érica Dias" }, "*"), HttpStatusCode.OK);
        Assert.Equal(["Davi Souza", "Érica Dias", null], await AssigneeNames(api, pipelineId, "assignee"));
        Assert.Equal(["Érica Dias", "Davi Souza", null], await AssigneeNames(api, pipelineId, "-assignee"));

        // Reassigned, "Um" and "Dois" share the assignee (then by id); prev/next walk that order, the unassigned ticket last.
        var etag = (await api.GetAsync($"/api/v1/tickets/{first["id"]}", Ct)).Headers.ETag!.Tag;
        await TicketSteps.Json(await TicketSteps.Patch(api, $"/api/v1/tickets/{first["id"]}", new { assigneeId = davi }, etag), HttpStatusCode.OK);
        Assert.Equal(["Davi Souza", "Davi Souza", null], await AssigneeNames(api, pipelineId, "assignee"));
        var middle = await TicketSteps.Json(await api.GetAsync($"/api/v1/tickets/{second["id"]}/neighbors?pipelineId={pipelineId}&sort=assignee", Ct), HttpStatusCode.OK);
        Assert.Equal(first["id"]!.GetValue<long>(), middle["previousId"]!.GetValue<long>());
        Assert.Equal(third["id"]!.GetValue<long>(), middle["nextId"]!.GetValue<long>());
        // Descending: Dois, Um, then Três.
        var last = await TicketSteps.Json(await api.GetAsync($"/api/v1/tickets/{third["id"]}/neighbors?pipelineId={pipelineId}&sort=-assignee", Ct), HttpStatusCode.OK);
        Assert.Equal(first["id"]!.GetValue<long>(), last["previousId"]!.GetValue<long>());
        Assert.Null(last["nextId"]);
        var top = await TicketSteps.Json(await api.GetAsync($"/api/v1/tickets/{second["id"]}/neighbors?pipelineId={pipelineId}&sort=-assignee", Ct), HttpStatusCode.OK);
        Assert.Null(top["previousId"]);
        Assert.Equal(first["id"]!.GetValue<long>(), top["nextId"]!.GetValue<long>());
    }

    private async Task<long> NamedAgent(HttpClient api, long workspaceId, string name)
    {
        var (id, _) = await App.CreateUser(fixture.AdminToken, $"agente{Guid.NewGuid():N}@test.com.br", "Agent", workspaceId);
        await TicketSteps.Json(await TicketSteps.Patch(api, $"/api/v1/users/{id}", new { name }, "*"), HttpStatusCode.OK);
        return id;
    }

    private static async Task<string?[]> AssigneeNames(HttpClient api, long pipelineId, string sort) =>
        (await TicketSteps.Json(await api.GetAsync($"/api/v1/tickets?pipelineId={pipelineId}&sort={sort}", Ct), HttpStatusCode.OK))["items"]!.AsArray()
        .Select(t => t!["assigneeName"]?.GetValue<string>()).ToArray();

    [Fact]
    public async Task Search_matches_reference_title_contact_and_dates_ignoring_accents()
    {
        var (api, ws) = await Admin();
        var pipeline = await TicketSteps.Pipeline(api);
        var pipelineId = pipeline["id"]!.GetValue<long>();
        var alias = pipeline["alias"]!.GetValue<string>();
        var (partnerId, contactId) = await TicketSteps.Partner(api, ws, TicketSteps.Unique("Açúcar União"), "João Conceição");
        var (otherPartner, _) = await TicketSteps.Partner(api, ws, TicketSteps.Unique("Ferragens"), "Maria");
        await TicketSteps.Ticket(api, pipelineId, partnerId, contactId, "Emissão de nota fiscal");
        await TicketSteps.Ticket(api, pipelineId, otherPartner, null, "Troca de peça", new { dueAt = new DateTimeOffset(2026, 12, 24, 15, 0, 0, TimeSpan.FromHours(-3)) });

        Assert.Equal([$"{alias}-1"], await TicketSteps.References(api, $"pipelineId={pipelineId}&q=EMISSAO"));
        Assert.Equal([$"{alias}-1"], await TicketSteps.References(api, $"pipelineId={pipelineId}&q=joao conceicao"));
        Assert.Equal([$"{alias}-1"], await TicketSteps.References(api, $"pipelineId={pipelineId}&q=acucar"));
        Assert.Equal([$"{alias}-2"], await TicketSteps.References(api, $"pipelineId={pipelineId}&q={alias}-2"));
        Assert.Equal([$"{alias}-2"], await TicketSteps.References(api, $"pipelineId={pipelineId}&q=24/12/2026"));
        Assert.Empty(await TicketSteps.References(api, $"pipelineId={pipelineId}&q=25/12/2026"));
        var today = TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, TimeZoneInfo.FindSystemTimeZoneById("America/Sao_Paulo")).ToString("dd/MM/yyyy");
        Assert.Equal(2, (await TicketSteps.References(api, $"pipelineId={pipelineId}&q={today}")).Length);
        Assert.Empty(await TicketSteps.References(api, $"pipelineId={pipelineId}&q=inexistente"));
    }

    [Fact]
    public async Task Tag_and_status_filters_and_archive_trash_restore_purge()
    {
        var (api, ws) = await Admin();
        var pipeline = await TicketSteps.Pipeline(api, tags: ["Quente"]);
        var pipelineId = pipeline["id"]!.GetValue<long>();
        var tag = (await TicketSteps.TagIds(api, pipelineId))[0];
        var alias = pipeline["alias"]!.GetValue<string>();
        var (partnerId, _) = await TicketSteps.Partner(api, ws, TicketSteps.Unique("Cliente"), "Ana");
        var one = await TicketSteps.Ticket(api, pipelineId, partnerId, null, "Um", new { tagIds = new[] { tag } });
        var two = await TicketSteps.Ticket(api, pipelineId, partnerId, null, "Dois");
        await api.PostAsJsonAsync($"/api/v1/tickets/{two["id"]}/status", new { status = "Waiting" }, Ct);

        Assert.Equal([$"{alias}-1"], await TicketSteps.References(api, $"pipelineId={pipelineId}&tag={tag}"));
        Assert.Equal([$"{alias}-2"], await TicketSteps.References(api, $"pipelineId={pipelineId}&status=Waiting"));

        await TicketSteps.Json(await api.PostAsync($"/api/v1/tickets/{one["id"]}/archive", null, Ct), HttpStatusCode.OK);
        Assert.Equal([$"{alias}-2"], await TicketSteps.References(api, $"pipelineId={pipelineId}"));
        Assert.Equal([$"{alias}-1"], await TicketSteps.References(api, $"pipelineId={pipelineId}&bin=Archived"));
        await TicketSteps.Json(await api.PostAsync($"/api/v1/tickets/{one["id"]}/unarchive", null, Ct), HttpStatusCode.OK);
        Assert.Equal(2, (await TicketSteps.References(api, $"pipelineId={pipelineId}")).Length);

        await TicketSteps.Json(await api.DeleteAsync($"/api/v1/tickets/{one["id"]}", Ct), HttpStatusCode.NoContent);
        Assert.Equal([$"{alias}-1"], await TicketSteps.References(api, $"pipelineId={pipelineId}&bin=Trash"));
        var restored = await TicketSteps.Json(await api.PostAsync($"/api/v1/tickets/{one["id"]}/restore", null, Ct), HttpStatusCode.OK);
        Assert.False(restored["deleted"]!.GetValue<bool>());

        await TicketSteps.Problem(await api.PostAsync($"/api/v1/tickets/{one["id"]}/purge", null, Ct), HttpStatusCode.Conflict);
        await api.DeleteAsync($"/api/v1/tickets/{one["id"]}", Ct);
        var (agentId, agentToken) = await App.CreateUser(fixture.AdminToken, $"agente{Guid.NewGuid():N}@test.com.br", "Agent", ws);
        await GrantPipeline(api, pipelineId, agentId);
        using var agent = App.Api(agentToken);
        await TicketSteps.Problem(await agent.PostAsync($"/api/v1/tickets/{one["id"]}/purge", null, Ct), HttpStatusCode.Forbidden);
        await TicketSteps.Json(await api.PostAsync($"/api/v1/tickets/{one["id"]}/purge", null, Ct), HttpStatusCode.NoContent);
        Assert.Equal(HttpStatusCode.NotFound, (await api.GetAsync($"/api/v1/tickets/{one["id"]}", Ct)).StatusCode);

        // The purged ticket's number is never handed out again.
        var three = await TicketSteps.Ticket(api, pipelineId, partnerId, null, "Três");
        Assert.Equal($"{alias}-3", three["reference"]!.GetValue<string>());
    }

    [Fact]
    public async Task Moving_a_ticket_takes_its_tags_by_name_and_keeps_the_reference()
    {
        var (api, ws) = await Admin();
        var source = await TicketSteps.Pipeline(api, tags: ["Urgente", "Visita"]);
        var target = await TicketSteps.Pipeline(api, tags: ["URGENTE"]);
        var sourceTags = await TicketSteps.TagIds(api, source["id"]!.GetValue<long>());
        var (partnerId, _) = await TicketSteps.Partner(api, ws, TicketSteps.Unique("Cliente"), "Ana");
        var ticket = await TicketSteps.Ticket(api, source["id"]!.GetValue<long>(), partnerId, null, "Mover", new { tagIds = sourceTags });

        var moved = await TicketSteps.Json(await api.PostAsJsonAsync($"/api/v1/tickets/{ticket["id"]}/move", new { pipelineId = target["id"]!.GetValue<long>() }, Ct), HttpStatusCode.OK);
        Assert.Equal(ticket["reference"]!.GetValue<string>(), moved["reference"]!.GetValue<string>());
        Assert.Equal(target["id"]!.GetValue<long>(), moved["pipelineId"]!.GetValue<long>());
        var targetTags = await TicketSteps.Json(await api.GetAsync($"/api/v1/pipelines/{target["id"]}/tags", Ct), HttpStatusCode.OK);
        Assert.Equal(["URGENTE", "Visita"], targetTags["items"]!.AsArray().Select(t => t!["name"]!.GetValue<string>()));
        Assert.Equal(targetTags["items"]!.AsArray().Select(t => t!["id"]!.GetValue<long>()).Order(), moved["tagIds"]!.AsArray().Select(t => t!.GetValue<long>()));
        var history = (await TicketSteps.Json(await api.GetAsync($"/api/v1/tickets/{ticket["id"]}/history", Ct), HttpStatusCode.OK))["items"]!.AsArray();
        Assert.Equal(target["name"]!.GetValue<string>(), history[0]!["newValue"]!.GetValue<string>());
    }

    [Fact]
    public async Task Interactions_are_sanitized_and_listed_in_the_order_asked()
    {
        var (api, ws) = await Admin();
        var pipeline = await TicketSteps.Pipeline(api);
        var (partnerId, _) = await TicketSteps.Partner(api, ws, TicketSteps.Unique("Cliente"), "Ana");
        var ticket = await TicketSteps.Ticket(api, pipeline["id"]!.GetValue<long>(), partnerId, null, "Com interações");
        var url = $"/api/v1/tickets/{ticket["id"]}/interactions";

        var first = await TicketSteps.Json(await api.PostAsJsonAsync(url, new
        {
            body = "<p onclick=\"x()\">Olá <b>cliente</b><script>alert(1)</script><img src=x onerror=alert(2)><a href=\"javascript:alert(3)\">link</a></p>",
            @internal = true,
        }, Ct), HttpStatusCode.Created);
        var body = first["body"]!.GetValue<string>();
        Assert.Contains("<b>cliente</b>", body, StringComparison.Ordinal);
        Assert.DoesNotContain("script", body, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("onerror", body, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("onclick", body, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("javascript:", body, StringComparison.OrdinalIgnoreCase);
        Assert.True(first["internal"]!.GetValue<bool>());

        var second = await TicketSteps.Json(await api.PostAsJsonAsync(url, new { body = "linha 1\nlinha <2>" }, Ct), HttpStatusCode.Created);
        Assert.Equal("linha 1<br>linha &lt;2&gt;", second["body"]!.GetValue<string>());
        var empty = await TicketSteps.Problem(await api.PostAsJsonAsync(url, new { body = "<p> </p><script>x</script>" }, Ct), HttpStatusCode.BadRequest);
        Assert.NotNull(empty["errors"]!["body"]);

        var newest = await TicketSteps.Json(await api.GetAsync(url, Ct), HttpStatusCode.OK);
        Assert.Equal([second["id"]!.GetValue<long>(), first["id"]!.GetValue<long>()], newest["items"]!.AsArray().Select(i => i!["id"]!.GetValue<long>()));
        var oldest = await TicketSteps.Json(await api.GetAsync(url + "?order=oldest", Ct), HttpStatusCode.OK);
        Assert.Equal([first["id"]!.GetValue<long>(), second["id"]!.GetValue<long>()], oldest["items"]!.AsArray().Select(i => i!["id"]!.GetValue<long>()));
        var list = await TicketSteps.Json(await api.GetAsync($"/api/v1/tickets/{ticket["id"]}", Ct), HttpStatusCode.OK);
        Assert.False(list["edited"]!.GetValue<bool>());
    }

    [Fact]
    public async Task Agents_see_only_authorized_pipelines_in_their_workspaces_everywhere()
    {
        var (api, ws) = await Admin();
        var otherWs = await App.CreateWorkspace(fixture.AdminToken, TicketSteps.Unique("Outro domínio"));
        var (agentId, agentToken) = await App.CreateUser(fixture.AdminToken, $"agente{Guid.NewGuid():N}@test.com.br", "Agent", ws);
        var granted = await TicketSteps.Pipeline(api, users: [agentId], tags: ["Visível"]);
        var hidden = await TicketSteps.Pipeline(api, tags: ["Secreta"]);
        var (partnerId, _) = await TicketSteps.Partner(api, ws, TicketSteps.Unique("Cliente Comum"), "Ana");
        var (foreignPartner, _) = await TicketSteps.Partner(api, otherWs, TicketSteps.Unique("Cliente Comum"), "Bia");
        var visible = await TicketSteps.Ticket(api, granted["id"]!.GetValue<long>(), partnerId, null, "Pedido comum visível");
        var inHidden = await TicketSteps.Ticket(api, hidden["id"]!.GetValue<long>(), partnerId, null, "Pedido comum secreto");
        var otherWorkspace = await TicketSteps.Ticket(api, granted["id"]!.GetValue<long>(), foreignPartner, null, "Pedido comum de outro domínio");
        var hiddenTag = (await TicketSteps.TagIds(api, hidden["id"]!.GetValue<long>()))[0];
        using var agent = App.Api(agentToken);

        var pipelines = await TicketSteps.Json(await agent.GetAsync("/api/v1/pipelines", Ct), HttpStatusCode.OK);
        Assert.Equal([granted["id"]!.GetValue<long>()], pipelines["items"]!.AsArray().Select(p => p!["id"]!.GetValue<long>()));
        Assert.Equal(1, pipelines["items"]![0]!["ticketCount"]!.GetValue<int>());
        Assert.Equal([visible["reference"]!.GetValue<string>()], await TicketSteps.References(agent, "q=pedido comum"));
        Assert.Empty(await TicketSteps.References(agent, $"pipelineId={hidden["id"]}"));
        foreach (var forbidden in new[] { inHidden, otherWorkspace })
        {
            var id = forbidden["id"];
            Assert.Equal(HttpStatusCode.NotFound, (await agent.GetAsync($"/api/v1/tickets/{id}", Ct)).StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, (await agent.GetAsync($"/api/v1/tickets/by-reference/{forbidden["reference"]}", Ct)).StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, (await agent.GetAsync($"/api/v1/tickets/{id}/history", Ct)).StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, (await agent.GetAsync($"/api/v1/tickets/{id}/interactions", Ct)).StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, (await agent.GetAsync($"/api/v1/tickets/{id}/neighbors", Ct)).StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, (await agent.PostAsJsonAsync($"/api/v1/tickets/{id}/status", new { status = "Done" }, Ct)).StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, (await agent.PostAsJsonAsync($"/api/v1/tickets/{id}/interactions", new { body = "oi" }, Ct)).StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, (await agent.DeleteAsync($"/api/v1/tickets/{id}", Ct)).StatusCode);
        }
        Assert.Equal(HttpStatusCode.NotFound, (await agent.GetAsync($"/api/v1/pipelines/{hidden["id"]}", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await agent.GetAsync($"/api/v1/pipelines/{hidden["id"]}/tags", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await agent.PostAsJsonAsync("/api/v1/tickets", new { pipelineId = hidden["id"]!.GetValue<long>(), partnerId, title = "x" }, Ct)).StatusCode);
        var foreignPartnerTicket = await TicketSteps.Problem(await agent.PostAsJsonAsync("/api/v1/tickets", new { pipelineId = granted["id"]!.GetValue<long>(), partnerId = foreignPartner, title = "x" }, Ct), HttpStatusCode.BadRequest);
        Assert.NotNull(foreignPartnerTicket["errors"]!["partnerId"]);
        var foreignTag = await TicketSteps.Problem(await agent.PostAsync($"/api/v1/tickets/{visible["id"]}/tags/{hiddenTag}", null, Ct), HttpStatusCode.BadRequest);
        Assert.NotNull(foreignTag["errors"]!["tagIds"]);
        Assert.Equal(HttpStatusCode.Forbidden, (await agent.PostAsJsonAsync("/api/v1/pipelines", new { name = "x", alias = "XX" }, Ct)).StatusCode);
    }

    [Fact]
    public async Task Renaming_or_removing_the_contact_and_moving_the_partner_follow_into_its_tickets()
    {
        var (api, ws) = await Admin();
        var otherWs = await App.CreateWorkspace(fixture.AdminToken, TicketSteps.Unique("Filial"));
        var (agentId, agentToken) = await App.CreateUser(fixture.AdminToken, $"ag{Guid.NewGuid():N}@test.com.br", "Agent", ws);
        var pipeline = await TicketSteps.Pipeline(api, users: [agentId]);
        var pipelineId = pipeline["id"]!.GetValue<long>();
        var (partnerId, contactId) = await TicketSteps.Partner(api, ws, TicketSteps.Unique("Mercado Central"), "Zé Ninguém");
        var ticket = await TicketSteps.Ticket(api, pipelineId, partnerId, contactId, "Pedido");
        var reference = ticket["reference"]!.GetValue<string>();

        var contactUrl = $"/api/v1/partners/{partnerId}/contacts/{contactId}";
        var etag = (await api.GetAsync(contactUrl, Ct)).Headers.ETag!.Tag;
        await TicketSteps.Json(await TicketSteps.Patch(api, contactUrl, new { name = "José Conceição" }, etag), HttpStatusCode.OK);
        Assert.Equal("José Conceição", (await TicketSteps.Json(await api.GetAsync($"/api/v1/tickets/{ticket["id"]}", Ct), HttpStatusCode.OK))["requesterName"]!.GetValue<string>());
        Assert.Equal([reference], await TicketSteps.References(api, $"pipelineId={pipelineId}&q=jose conceicao"));
        Assert.Empty(await TicketSteps.References(api, $"pipelineId={pipelineId}&q=ninguem"));

        await TicketSteps.Json(await api.DeleteAsync(contactUrl, Ct), HttpStatusCode.NoContent);
        var afterRemoval = await TicketSteps.Json(await api.GetAsync($"/api/v1/tickets/{ticket["id"]}", Ct), HttpStatusCode.OK);
        Assert.Null(afterRemoval["contactId"]);
        Assert.StartsWith("Mercado Central", afterRemoval["requesterName"]!.GetValue<string>(), StringComparison.Ordinal);

        using var agent = App.Api(agentToken);
        Assert.Equal(HttpStatusCode.OK, (await agent.GetAsync($"/api/v1/tickets/{ticket["id"]}", Ct)).StatusCode);
        var partnerEtag = (await api.GetAsync($"/api/v1/partners/{partnerId}", Ct)).Headers.ETag!.Tag;
        await TicketSteps.Json(await TicketSteps.Patch(api, $"/api/v1/partners/{partnerId}", new { workspaceId = otherWs }, partnerEtag), HttpStatusCode.OK);
        Assert.Equal(HttpStatusCode.NotFound, (await agent.GetAsync($"/api/v1/tickets/{ticket["id"]}", Ct)).StatusCode);
        Assert.Empty(await TicketSteps.References(agent, $"pipelineId={pipelineId}"));
    }

    [Fact]
    public async Task Notify_tells_the_assignee_once_in_app()
    {
        var (api, ws) = await Admin();
        var (agentId, agentToken) = await App.CreateUser(fixture.AdminToken, $"ag{Guid.NewGuid():N}@test.com.br", "Agent", ws);
        var pipeline = await TicketSteps.Pipeline(api, users: [agentId]);
        var (partnerId, _) = await TicketSteps.Partner(api, ws, TicketSteps.Unique("Cliente"), "Ana");
        var ticket = await TicketSteps.Ticket(api, pipeline["id"]!.GetValue<long>(), partnerId, null, "Novo pedido", new { assigneeId = agentId });
        await TicketSteps.Json(await api.PostAsync($"/api/v1/tickets/{ticket["id"]}/notify", null, Ct), HttpStatusCode.OK);

        using var agent = App.Api(agentToken);
        var inbox = await TicketSteps.Json(await agent.GetAsync("/api/v1/notifications", Ct), HttpStatusCode.OK);
        Assert.Equal(1, inbox["unread"]!.GetValue<int>());
        Assert.Equal(ticket["id"]!.GetValue<long>(), inbox["items"]![0]!["ticketId"]!.GetValue<long>());
        Assert.Equal("Administradora Teste", inbox["items"]![0]!["fromName"]!.GetValue<string>());
        var adminInbox = await TicketSteps.Json(await api.GetAsync("/api/v1/notifications", Ct), HttpStatusCode.OK);
        Assert.DoesNotContain(adminInbox["items"]!.AsArray(), n => n!["ticketId"]?.GetValue<long>() == ticket["id"]!.GetValue<long>());
        await TicketSteps.Json(await agent.PostAsJsonAsync("/api/v1/notifications/read", new { id = (long?)null }, Ct), HttpStatusCode.NoContent);
        Assert.Equal(0, (await TicketSteps.Json(await agent.GetAsync("/api/v1/notifications", Ct), HttpStatusCode.OK))["unread"]!.GetValue<int>());
    }

    [Fact]
    public async Task Portal_users_see_no_pipelines_or_tickets()
    {
        var (api, ws) = await Admin();
        var (partnerId, _) = await TicketSteps.Partner(api, ws, TicketSteps.Unique("Cliente Portal"), "Ana");
        var pipeline = await TicketSteps.Pipeline(api);
        var ticket = await TicketSteps.Ticket(api, pipeline["id"]!.GetValue<long>(), partnerId, null, "Do portal");
        var email = $"portal{Guid.NewGuid():N}@cliente.com.br";
        await TicketSteps.Json(await api.PostAsJsonAsync("/api/v1/users", new { name = "Pessoa", email, role = "Portal", partnerId, password = TestApp.Password }, Ct), HttpStatusCode.Created);
        using var portal = App.Api(await App.Token(email, TestApp.Password));
        Assert.Equal(HttpStatusCode.Forbidden, (await portal.GetAsync("/api/v1/tickets", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await portal.GetAsync($"/api/v1/tickets/{ticket["id"]}", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await portal.GetAsync("/api/v1/pipelines", Ct)).StatusCode);
    }

    [Fact]
    public async Task Neighbors_walk_the_list_in_its_order_and_filter()
    {
        var (api, ws) = await Admin();
        var pipeline = await TicketSteps.Pipeline(api);
        var pipelineId = pipeline["id"]!.GetValue<long>();
        var (partnerId, _) = await TicketSteps.Partner(api, ws, TicketSteps.Unique("Cliente"), "Ana");
        var ids = new List<long>();
        foreach (var title in new[] { "Charlie", "Alfa", "Bravo", "Delta" })
        {
            ids.Add((await TicketSteps.Ticket(api, pipelineId, partnerId, null, title, new { dueAt = title == "Delta" ? (DateTimeOffset?)null : DateTimeOffset.UtcNow.AddDays(title.Length) }))["id"]!.GetValue<long>());
        }
        // By title: Alfa, Bravo, Charlie, Delta.
        var bravo = await TicketSteps.Json(await api.GetAsync($"/api/v1/tickets/{ids[2]}/neighbors?pipelineId={pipelineId}&sort=title", Ct), HttpStatusCode.OK);
        Assert.Equal(ids[1], bravo["previousId"]!.GetValue<long>());
        Assert.Equal(ids[0], bravo["nextId"]!.GetValue<long>());
        var alfa = await TicketSteps.Json(await api.GetAsync($"/api/v1/tickets/{ids[1]}/neighbors?pipelineId={pipelineId}&sort=title", Ct), HttpStatusCode.OK);
        Assert.Null(alfa["previousId"]);
        // By due date, the ticket without one comes last, and walking back from it reaches the latest due date.
        var delta = await TicketSteps.Json(await api.GetAsync($"/api/v1/tickets/{ids[3]}/neighbors?pipelineId={pipelineId}&sort=dueAt", Ct), HttpStatusCode.OK);
        Assert.Null(delta["nextId"]);
        Assert.Equal(ids[0], delta["previousId"]!.GetValue<long>());
    }

    [Fact]
    public async Task Search_in_a_long_list_finds_common_words_in_list_order_and_rare_words_beyond_the_first_rows()
    {
        var (api, ws) = await Admin();
        var pipeline = await TicketSteps.Pipeline(api);
        var pipelineId = pipeline["id"]!.GetValue<long>();
        var alias = pipeline["alias"]!.GetValue<string>();
        var (partnerId, _) = await TicketSteps.Partner(api, ws, TicketSteps.Unique("Cliente"), "Ana");
        // More tickets than a search looks at in list order before it turns to the text index (4,000): every third is
        // about a "parafuso"; only the oldest (last in the default order) mentions "girassol".
        const int count = 4_300;
        using (var scope = App.Services.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<Atende.Core.Data.AtendeDb>();
            var adminId = db.Users.Single(u => u.Email == TestApp.AdminEmail).Id;
            var start = DateTimeOffset.UtcNow.AddDays(-30);
            for (var i = 1; i <= count; i++)
            {
                var title = i == 1 ? "Flores de girassol" : i % 3 == 0 ? $"Parafuso solto {i}" : $"Pedido {i}";
                var reference = $"{alias}-{i}";
                var at = start.AddMinutes(i);
                db.Tickets.Add(new Atende.Core.Tickets.Ticket
                {
                    PipelineId = pipelineId, WorkspaceId = ws, PartnerId = partnerId, Reference = reference, Number = i, Title = title,
                    TitleSort = Atende.Core.Data.SearchText.Normalize(title), RequesterName = "Ana", RequesterSort = "ana",
                    SearchText = Atende.Core.Data.SearchText.Build(reference, title, "Ana", "Cliente"),
                    Status = (Atende.Core.Tickets.TicketStatus)(i % 7), CreatedAt = at, UpdatedAt = at, CreatedById = adminId, Version = 1,
                });
            }
            await db.SaveChangesAsync(Ct);
        }

        Assert.Equal([$"{alias}-1"], await TicketSteps.References(api, $"pipelineId={pipelineId}&q=girassol"));
        // A reference typed whole or in part finds the references that start with it.
        Assert.Equal([$"{alias}-4300", $"{alias}-430"], await TicketSteps.References(api, $"pipelineId={pipelineId}&q={alias.ToLowerInvariant()}-430"));
        Assert.Equal([$"{alias}-1299", $"{alias}-1296", $"{alias}-1293", $"{alias}-1290", $"{alias}-129"],
            await TicketSteps.References(api, $"pipelineId={pipelineId}&q={alias}-129 parafuso"));
        var expected = Enumerable.Range(1, count).Where(i => i % 3 == 0).Reverse().Select(i => $"{alias}-{i}").ToList();
        var found = new List<string>();
        string? after = null;
        do
        {
            var json = await TicketSteps.Json(await api.GetAsync($"/api/v1/tickets?pipelineId={pipelineId}&q=parafuso&limit=200&after={after}", Ct), HttpStatusCode.OK);
            found.AddRange(json["items"]!.AsArray().Select(t => t!["reference"]!.GetValue<string>()));
            after = json["next"]?.GetValue<string>();
        }
        while (after is not null);
        Assert.Equal(expected, found);

        // Status order pages through the stored column: statuses in their order, then newest first within each.
        var byStatus = new List<long>();
        after = null;
        do
        {
            var json = await TicketSteps.Json(await api.GetAsync($"/api/v1/tickets?pipelineId={pipelineId}&sort=-status&limit=200&after={after}", Ct), HttpStatusCode.OK);
            byStatus.AddRange(json["items"]!.AsArray().Select(t => long.Parse(t!["reference"]!.GetValue<string>().Split('-')[1])));
            after = json["next"]?.GetValue<string>();
        }
        while (after is not null);
        Assert.Equal(Enumerable.Range(1, count).OrderByDescending(i => i % 7).ThenByDescending(i => i).Select(i => (long)i), byStatus);
    }

    [Fact]
    public async Task Agent_search_in_a_long_list_shows_exactly_their_tickets_in_list_order_across_pages()
    {
        var (api, ws) = await Admin();
        var otherWs = await App.CreateWorkspace(fixture.AdminToken, TicketSteps.Unique("Outro domínio"));
        var (agentId, agentToken) = await App.CreateUser(fixture.AdminToken, $"agente{Guid.NewGuid():N}@test.com.br", "Agent", ws);
        var granted = await TicketSteps.Pipeline(api, users: [agentId]);
        var hidden = await TicketSteps.Pipeline(api);
        var (partnerId, _) = await TicketSteps.Partner(api, ws, TicketSteps.Unique("Cliente"), "Ana");
        var (foreignPartnerId, _) = await TicketSteps.Partner(api, otherWs, TicketSteps.Unique("Cliente"), "Bia");
        var grantedId = granted["id"]!.GetValue<long>();
        var alias = granted["alias"]!.GetValue<string>();
        // More tickets than a search looks at in list order (4,000): a third requested from another workspace, and more
        // in a pipeline the agent is not authorized on. "Pedido" is in every title (more of the agent's matches than
        // are sorted directly, 2,000), "parafuso" in half of them (fewer), "girassol" only in the oldest of each kind.
        const int count = 4_500;
        static string TitleOf(int i) => i <= 3 ? $"Pedido girassol {i}" : i % 2 == 0 ? $"Pedido parafuso {i}" : $"Pedido {i}";
        static bool Visible(int i) => i % 3 != 0;
        using (var scope = App.Services.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<Atende.Core.Data.AtendeDb>();
            var adminId = db.Users.Single(u => u.Email == TestApp.AdminEmail).Id;
            var start = DateTimeOffset.UtcNow.AddDays(-30);
            Atende.Core.Tickets.Ticket New(long pipelineId, string pipelineAlias, int i, long workspaceId, long partner)
            {
                var title = TitleOf(i);
                var reference = $"{pipelineAlias}-{i}";
                var at = start.AddMinutes(i % 2 == 0 ? i : i + 0.5);
                return new Atende.Core.Tickets.Ticket
                {
                    PipelineId = pipelineId, WorkspaceId = workspaceId, PartnerId = partner, Reference = reference, Number = i, Title = title,
                    TitleSort = Atende.Core.Data.SearchText.Normalize(title), RequesterName = "Ana", RequesterSort = "ana",
                    SearchText = Atende.Core.Data.SearchText.Build(reference, title, "Ana", "Cliente"),
                    Status = (Atende.Core.Tickets.TicketStatus)(i % 7), CreatedAt = at, UpdatedAt = at, CreatedById = adminId, Version = 1,
                };
            }
            for (var i = 1; i <= count; i++)
            {
                db.Tickets.Add(Visible(i) ? New(grantedId, alias, i, ws, partnerId) : New(grantedId, alias, i, otherWs, foreignPartnerId));
            }
            var hiddenAlias = hidden["alias"]!.GetValue<string>();
            for (var i = 1; i <= 300; i++)
            {
                db.Tickets.Add(New(hidden["id"]!.GetValue<long>(), hiddenAlias, i, ws, partnerId));
            }
            await db.SaveChangesAsync(Ct);
        }
        using var agent = App.Api(agentToken);

        async Task<List<string>> All(HttpClient client, string query)
        {
            var found = new List<string>();
            string? after = null;
            do
            {
                var json = await TicketSteps.Json(await client.GetAsync($"/api/v1/tickets?{query}&limit=200&after={after}", Ct), HttpStatusCode.OK);
                found.AddRange(json["items"]!.AsArray().Select(t => t!["reference"]!.GetValue<string>()));
                after = json["next"]?.GetValue<string>();
            }
            while (after is not null);
            return found;
        }
        // The default order is the last update, newest first; by title, "pedido parafuso 1000" < "pedido parafuso 998".
        List<string> Newest(Func<int, bool> match) =>
            Enumerable.Range(1, count).Where(i => Visible(i) && match(i)).OrderByDescending(i => i % 2 == 0 ? i : i + 0.5).Select(i => $"{alias}-{i}").ToList();
        List<string> ByTitle(Func<int, bool> match) =>
            Enumerable.Range(1, count).Where(i => Visible(i) && match(i)).OrderBy(i => TitleOf(i).ToLowerInvariant(), StringComparer.Ordinal).ThenBy(i => i)
                .Select(i => $"{alias}-{i}").ToList();

        Assert.Equal(Newest(i => i > 3 && i % 2 == 0), await All(agent, $"pipelineId={grantedId}&q=parafuso"));
        Assert.Equal(ByTitle(i => i > 3 && i % 2 == 0), await All(agent, $"pipelineId={grantedId}&q=parafuso&sort=title"));
        Assert.Equal(Newest(i => i > 3 && i % 2 == 0).AsEnumerable().Reverse(), await All(agent, $"pipelineId={grantedId}&q=parafuso&sort=updatedAt"));
        Assert.Equal(Newest(_ => true), await All(agent, $"pipelineId={grantedId}&q=pedido"));
        Assert.Equal(Newest(i => i <= 3), await All(agent, $"pipelineId={grantedId}&q=girassol"));
        // Across pipelines: the one they are not authorized on stays out.
        Assert.Equal(Newest(i => i > 3 && i % 2 == 0), await All(agent, "q=parafuso"));
        var total = await TicketSteps.Json(await agent.GetAsync($"/api/v1/tickets?pipelineId={grantedId}&q=parafuso&includeTotal=true", Ct), HttpStatusCode.OK);
        Assert.Equal(Newest(i => i > 3 && i % 2 == 0).Count, total["total"]!.GetValue<int>());
        // The admin sees every workspace's tickets, in the same order.
        Assert.Equal(Enumerable.Range(4, count - 3).Where(i => i % 2 == 0).Reverse().Select(i => $"{alias}-{i}"),
            await All(api, $"pipelineId={grantedId}&q=parafuso"));
    }

    [Fact]
    public async Task Agent_search_past_the_first_rows_they_see_finds_exactly_the_admins_matches_they_may_see_in_every_order()
    {
        var (api, ws) = await Admin();
        var otherWs = await App.CreateWorkspace(fixture.AdminToken, TicketSteps.Unique("Outro domínio"));
        var (agentId, agentToken) = await App.CreateUser(fixture.AdminToken, $"agente{Guid.NewGuid():N}@test.com.br", "Agent", ws);
        var granted = await TicketSteps.Pipeline(api, users: [agentId]);
        var (partnerId, _) = await TicketSteps.Partner(api, ws, TicketSteps.Unique("Cliente"), "Ana");
        var (foreignPartnerId, _) = await TicketSteps.Partner(api, otherWs, TicketSteps.Unique("Cliente"), "Bia");
        var grantedId = granted["id"]!.GetValue<long>();
        var alias = granted["alias"]!.GetValue<string>();
        // More of the agent's tickets (4,200) than a search reads in list order before it turns to the text index (4,000 of
        // the rows they see), one in three of the list in another workspace. Updated at 7·i mod 5,000 seconds: out of id
        // order, and tickets i and i + 5,000 at the same instant (ties broken by id). "Pedido" is in every title, "parafuso"
        // in one in ten (a page fills from the next rows), "ameixa" in one in a hundred (fewer than a page there: the text
        // index), "girassol" in the oldest few and in the newest two the agent sees (2857 and 3571; 714 is another
        // workspace's): with pages of two, the second page starts past the newest and every window.
        const int count = 6_300;
        static string TitleOf(int i) => i is <= 4 or 714 or 2857 or 3571 ? $"Pedido girassol {i}"
            : i % 100 == 7 ? $"Pedido ameixa {i}" : i % 10 == 3 ? $"Pedido parafuso {i}" : $"Pedido {i}";
        using (var scope = App.Services.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<Atende.Core.Data.AtendeDb>();
            var adminId = db.Users.Single(u => u.Email == TestApp.AdminEmail).Id;
            var start = DateTimeOffset.UtcNow.AddDays(-30);
            for (var i = 1; i <= count; i++)
            {
                var title = TitleOf(i);
                var reference = $"{alias}-{i}";
                var visible = i % 3 != 0;
                var at = start.AddSeconds(i * 7 % 5_000);
                db.Tickets.Add(new Atende.Core.Tickets.Ticket
                {
                    PipelineId = grantedId, WorkspaceId = visible ? ws : otherWs, PartnerId = visible ? partnerId : foreignPartnerId, Reference = reference,
                    Number = i, Title = title, TitleSort = Atende.Core.Data.SearchText.Normalize(title), RequesterName = "Ana", RequesterSort = "ana",
                    SearchText = Atende.Core.Data.SearchText.Build(reference, title, "Ana", "Cliente"),
                    Status = (Atende.Core.Tickets.TicketStatus)(i % 7), Value = i % 50, CreatedAt = at, UpdatedAt = at, CreatedById = adminId, Version = 1,
                });
            }
            await db.SaveChangesAsync(Ct);
        }
        using var agent = App.Api(agentToken);

        async Task<List<JsonNode>> All(HttpClient client, string query, int limit)
        {
            var found = new List<JsonNode>();
            string? after = null;
            do
            {
                var json = await TicketSteps.Json(await client.GetAsync($"/api/v1/tickets?{query}&limit={limit}&after={after}", Ct), HttpStatusCode.OK);
                found.AddRange(json["items"]!.AsArray().Select(t => t!));
                after = json["next"]?.GetValue<string>();
            }
            while (after is not null);
            return found;
        }
        static List<string> References(IEnumerable<JsonNode> items) => items.Select(t => t["reference"]!.GetValue<string>()).ToList();

        foreach (var (query, limit) in new[]
        {
            ("q=parafuso", 50), ("q=ameixa", 50), ("q=girassol", 2), ("q=pedido", 200), ("q=pedido ameixa", 10), ("q=parafuso&sort=title", 50),
            ("q=ameixa&sort=-value", 50), ("q=parafuso&sort=updatedAt", 50), ("q=ameixa&status=Waiting", 50), ("q=parafuso&sort=-status", 50),
        })
        {
            // The admin's search (every workspace) is the expectation: its rows the agent may see, in the same order.
            var admin = await All(api, $"pipelineId={grantedId}&{query}", 500);
            var expected = References(admin.Where(t => t["partnerId"]!.GetValue<long>() == partnerId));
            Assert.NotEmpty(expected);
            Assert.True(admin.Count > expected.Count, query);
            Assert.Equal(expected, References(await All(agent, $"pipelineId={grantedId}&{query}", limit)));
            // Across pipelines (the agent is granted this one only).
            Assert.Equal(expected, References(await All(agent, query, 200)));
        }
        Assert.Equal([$"{alias}-2857", $"{alias}-3571", $"{alias}-4", $"{alias}-2", $"{alias}-1"],
            References(await All(agent, $"pipelineId={grantedId}&q=girassol", 2)));
        // "ameixa": ~40 of the agent's tickets, fewer in their first 4,000 rows than a page holds; the neighbors of a
        // ticket in that list walk it the same way.
        var ameixa = References(await All(agent, $"pipelineId={grantedId}&q=ameixa", 50));
        Assert.True(ameixa.Count > 30 && ameixa[^1] == $"{alias}-7", string.Join(' ', ameixa));
        var middle = await TicketSteps.Json(await agent.GetAsync($"/api/v1/tickets/by-reference/{ameixa[20]}", Ct), HttpStatusCode.OK);
        var neighbors = await TicketSteps.Json(await agent.GetAsync($"/api/v1/tickets/{middle["id"]}/neighbors?pipelineId={grantedId}&q=ameixa", Ct), HttpStatusCode.OK);
        var around = await TicketSteps.Json(await agent.GetAsync($"/api/v1/tickets/by-reference/{ameixa[19]}", Ct), HttpStatusCode.OK);
        Assert.Equal(around["id"]!.GetValue<long>(), neighbors["previousId"]!.GetValue<long>());
        around = await TicketSteps.Json(await agent.GetAsync($"/api/v1/tickets/by-reference/{ameixa[21]}", Ct), HttpStatusCode.OK);
        Assert.Equal(around["id"]!.GetValue<long>(), neighbors["nextId"]!.GetValue<long>());
    }

    private static async Task GrantPipeline(HttpClient admin, long pipelineId, long userId)
    {
        var get = await admin.GetAsync($"/api/v1/pipelines/{pipelineId}", Ct);
        var pipeline = await TicketSteps.Json(get, HttpStatusCode.OK);
        var users = pipeline["authorizedUserIds"]!.AsArray().Select(u => u!.GetValue<long>()).Append(userId).ToArray();
        await TicketSteps.Json(await TicketSteps.Patch(admin, $"/api/v1/pipelines/{pipelineId}", new { authorizedUserIds = users }, get.Headers.ETag!.Tag), HttpStatusCode.OK);
    }
}

public sealed class TicketApiTestsSqlite(SqliteFixture fixture) : TicketApiTests(fixture), IClassFixture<SqliteFixture>;

public sealed class TicketApiTestsPostgres(PostgresFixture fixture) : TicketApiTests(fixture), IClassFixture<PostgresFixture>;
