using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using AngleSharp.Html.Dom;
using Atende.Web.Tests.Infrastructure;
using Atende.Web.Tests.Tickets;
using static Atende.Web.Tests.Settings.PageHelpers;

namespace Atende.Web.Tests.Pipelines;

/// <summary>/settings/pipelines: the admin's list of pipelines and their form.</summary>
public abstract class PipelinePageTests(AppFixture fixture)
{
    private TestApp App => fixture.App;

    private static string Id(long id) => id.ToString(CultureInfo.InvariantCulture);

    private static async Task<JsonObject> Pipeline(HttpClient api, long id) =>
        (await api.GetFromJsonAsync<JsonObject>($"/api/v1/pipelines/{id}", Ct))!;

    private static async Task<JsonObject> ByAlias(HttpClient api, string alias) =>
        (await Items(api, "/api/v1/pipelines")).Select(p => p!.AsObject()).Single(p => p["alias"]!.GetValue<string>() == alias);

    [Fact]
    public async Task The_admin_creates_a_pipeline_through_the_form_with_the_alias_upper_cased()
    {
        var workspaceId = await App.CreateWorkspace(fixture.AdminToken, Unique("Domínio Fluxos"));
        var (agentId, _) = await App.CreateUser(fixture.AdminToken, $"{Guid.NewGuid():N}@empresa.com.br", "Agent", workspaceId);
        using var admin = await App.LoggedIn();
        var name = Unique("Vendas Online");
        var alias = TicketSteps.UniqueAlias();

        var form = await admin.GetPage("/settings/pipelines/new");
        Assert.Contains("Prefixo das referências, ex.: VND → VND-1042", form.QuerySelector("#alias-help")!.TextContent, StringComparison.Ordinal);
        Assert.Contains("Administradores veem todos os fluxos", Text(form), StringComparison.Ordinal);
        Assert.NotNull(form.QuerySelector($"#user-{agentId}"));

        var created = await admin.Submit((IHtmlFormElement)form.QuerySelector("#pipeline-form")!, "/settings/pipelines/new", new()
        {
            ["Input.Name"] = name, ["Input.Alias"] = alias.ToLowerInvariant(), ["Input.Description"] = "Pedidos da loja virtual",
            ["Input.AuthorizedUserIds"] = Id(agentId),
        });
        Assert.Equal(HttpStatusCode.Redirect, created.StatusCode);

        using var api = App.Api(fixture.AdminToken);
        var pipeline = await ByAlias(api, alias);
        Assert.Equal(name, pipeline["name"]!.GetValue<string>());
        var id = pipeline["id"]!.GetValue<long>();
        var stored = await Pipeline(api, id);
        Assert.Equal("Pedidos da loja virtual", stored["description"]!.GetValue<string>());
        Assert.True(stored["active"]!.GetValue<bool>());
        Assert.Equal([agentId], stored["authorizedUserIds"]!.AsArray().Select(u => u!.GetValue<long>()));

        var list = await admin.GetPage("/settings/pipelines");
        Assert.Contains($"Fluxo \"{name}\" criado. Os atendimentos dele serão numerados {alias}-1", Text(list), StringComparison.Ordinal);
        var row = list.QuerySelector($"#pipeline-{id}")!;
        Assert.Equal(name, row.QuerySelector("a.row-link")!.TextContent.Trim());
        Assert.Equal("Pedidos da loja virtual", row.QuerySelector(".pipeline-description")!.TextContent.Trim());
        Assert.Equal(alias, row.QuerySelector(".badge-alias")!.TextContent.Trim());
        var cells = row.QuerySelectorAll("td").Select(c => c.TextContent.Trim()).ToArray();
        Assert.Equal("Ativo", cells[2]);
        Assert.Equal("0", cells[3]);
        Assert.Equal("1", cells[4]);
        Assert.NotNull(row.QuerySelector($"a[href='/pipelines/{id}/tags']"));
        Assert.NotNull(list.QuerySelector("nav.sidebar a.active[href='/settings/pipelines']"));
    }

    [Fact]
    public async Task A_refused_form_shows_the_errors_next_to_the_fields_and_keeps_what_was_typed()
    {
        using var api = App.Api(fixture.AdminToken);
        var taken = await TicketSteps.Pipeline(api);
        using var admin = await App.LoggedIn();

        var takenName = taken["name"]!.GetValue<string>();
        var takenAlias = taken["alias"]!.GetValue<string>();
        var refused = await admin.SubmitForm("/settings/pipelines/new", "#pipeline-form", new()
        {
            ["Input.Name"] = "", ["Input.Alias"] = "1ab", ["Input.Description"] = "Descrição que fica", ["Input.Active"] = "false",
        });
        Assert.Equal(HttpStatusCode.OK, refused.StatusCode);
        var page = await HtmlClient.Parse(refused);
        Assert.Equal("Nome do fluxo é obrigatório.", FieldError(page, "Input.Name"));
        Assert.Equal("Pseudônimo deve ter só letras sem acento e números, começando por letra (ex.: VND).", FieldError(page, "Input.Alias"));
        Assert.Equal("1ab", Value(page, "#Input_Alias"));
        Assert.Equal("Descrição que fica", page.QuerySelector("#Input_Description")!.TextContent);
        Assert.False(((IHtmlInputElement)page.QuerySelector("#Input_Active")!).IsChecked);

        // Another pipeline's name and alias, typed in lower case.
        refused = await admin.SubmitForm("/settings/pipelines/new", "#pipeline-form", new()
        {
            ["Input.Name"] = takenName, ["Input.Alias"] = takenAlias.ToLowerInvariant(),
        });
        page = await HtmlClient.Parse(refused);
        Assert.Equal($"Já existe um fluxo chamado \"{takenName}\".", FieldError(page, "Input.Name"));
        Assert.Equal($"O pseudônimo {takenAlias} já é usado por outro fluxo.", FieldError(page, "Input.Alias"));
    }

    [Fact]
    public async Task Editing_from_a_stale_form_is_refused_with_the_message_and_the_typed_values_kept()
    {
        using var api = App.Api(fixture.AdminToken);
        var pipeline = await TicketSteps.Pipeline(api);
        var id = pipeline["id"]!.GetValue<long>();
        using var admin = await App.LoggedIn();

        var form = await admin.GetPage($"/settings/pipelines/{id}/edit");
        Assert.Equal(pipeline["name"]!.GetValue<string>(), Value(form, "#Input_Name"));
        Assert.Equal("1", Value(form, "#Version"));

        // Someone else saves first.
        var get = await api.GetAsync($"/api/v1/pipelines/{id}", Ct);
        var other = Unique("Renomeado por outra pessoa");
        Assert.Equal(HttpStatusCode.OK, (await TicketSteps.Patch(api, $"/api/v1/pipelines/{id}", new { name = other }, get.Headers.ETag!.Tag)).StatusCode);

        var mine = Unique("Meu nome");
        var refused = await admin.Submit((IHtmlFormElement)form.QuerySelector("#pipeline-form")!, $"/settings/pipelines/{id}/edit", new() { ["Input.Name"] = mine });
        Assert.Equal(HttpStatusCode.OK, refused.StatusCode);
        var page = await HtmlClient.Parse(refused);
        Assert.Contains("Este fluxo foi alterado por outra pessoa enquanto você editava. Recarregue e tente de novo.", page.QuerySelector("#stale-alert")!.TextContent, StringComparison.Ordinal);
        Assert.Equal(mine, Value(page, "#Input_Name"));
        Assert.Equal("1", Value(page, "#Version"));
        Assert.Equal(other, (await Pipeline(api, id))["name"]!.GetValue<string>());

        // Reloaded, the form carries the new version and saves.
        var saved = await admin.SubmitForm($"/settings/pipelines/{id}/edit", "#pipeline-form", new() { ["Input.Name"] = mine, ["Input.Description"] = "" });
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        var stored = await Pipeline(api, id);
        Assert.Equal(mine, stored["name"]!.GetValue<string>());
        Assert.Null(stored["description"]);
        Assert.Equal(3, stored["version"]!.GetValue<int>());
    }

    [Fact]
    public async Task A_pipeline_with_tickets_cannot_be_deleted_and_the_count_is_shown()
    {
        using var api = App.Api(fixture.AdminToken);
        var workspaceId = await App.CreateWorkspace(fixture.AdminToken, Unique("Domínio Exclusão"));
        var pipeline = await TicketSteps.Pipeline(api);
        var id = pipeline["id"]!.GetValue<long>();
        var name = pipeline["name"]!.GetValue<string>();
        var (partnerId, contactId) = await TicketSteps.Partner(api, workspaceId, Unique("Cliente"), "Ana");
        await TicketSteps.Ticket(api, id, partnerId, contactId, "Primeiro pedido");
        await TicketSteps.Ticket(api, id, partnerId, contactId, "Segundo pedido");
        using var admin = await App.LoggedIn();

        var list = await admin.GetPage("/settings/pipelines");
        Assert.Equal("2", list.QuerySelector($"#pipeline-{id}")!.QuerySelectorAll("td")[3].TextContent.Trim());
        var form = FormOfButton(list, $"Excluir {name}");
        Assert.Contains("Excluir o fluxo", form.GetAttribute("data-confirm"), StringComparison.Ordinal);
        var refused = await admin.Submit(form, "/settings/pipelines", []);
        Assert.Equal(HttpStatusCode.Redirect, refused.StatusCode);
        list = await admin.GetPage("/settings/pipelines");
        Assert.Contains($"O fluxo \"{name}\" ainda tem 2 atendimentos (contando arquivados e lixeira).", list.QuerySelector(".alert-danger")!.TextContent, StringComparison.Ordinal);
        Assert.NotNull(list.QuerySelector($"#pipeline-{id}"));

        // An empty one goes, from its edit page.
        var empty = await TicketSteps.Pipeline(api);
        var emptyId = empty["id"]!.GetValue<long>();
        var edit = await admin.GetPage($"/settings/pipelines/{emptyId}/edit");
        var deleted = await admin.Submit((IHtmlFormElement)edit.QuerySelector("form[action*='handler=Delete']")!, $"/settings/pipelines/{emptyId}/edit", []);
        Assert.Equal(HttpStatusCode.Redirect, deleted.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await api.GetAsync($"/api/v1/pipelines/{emptyId}", Ct)).StatusCode);
        list = await admin.GetPage("/settings/pipelines");
        Assert.Contains($"Fluxo \"{empty["name"]!.GetValue<string>()}\" excluído.", Text(list), StringComparison.Ordinal);
        Assert.Null(list.QuerySelector($"#pipeline-{emptyId}"));
    }

    [Fact]
    public async Task A_pipeline_is_deactivated_and_activated_from_the_list_keeping_its_users()
    {
        var workspaceId = await App.CreateWorkspace(fixture.AdminToken, Unique("Domínio Ativação"));
        var (agentId, _) = await App.CreateUser(fixture.AdminToken, $"{Guid.NewGuid():N}@empresa.com.br", "Agent", workspaceId);
        using var api = App.Api(fixture.AdminToken);
        var pipeline = await TicketSteps.Pipeline(api, users: [agentId]);
        var id = pipeline["id"]!.GetValue<long>();
        var name = pipeline["name"]!.GetValue<string>();
        using var admin = await App.LoggedIn();

        var list = await admin.GetPage("/settings/pipelines");
        Assert.Equal(HttpStatusCode.Redirect, (await admin.Submit(FormOfButton(list, $"Desativar {name}"), "/settings/pipelines", [])).StatusCode);
        var stored = await Pipeline(api, id);
        Assert.False(stored["active"]!.GetValue<bool>());
        Assert.Equal([agentId], stored["authorizedUserIds"]!.AsArray().Select(u => u!.GetValue<long>()));

        list = await admin.GetPage("/settings/pipelines");
        Assert.Contains("não aceita novos atendimentos", Text(list), StringComparison.Ordinal);
        Assert.Contains("Inativo", list.QuerySelector($"#pipeline-{id}")!.TextContent, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, (await admin.Submit(FormOfButton(list, $"Ativar {name}"), "/settings/pipelines", [])).StatusCode);
        Assert.True((await Pipeline(api, id))["active"]!.GetValue<bool>());
    }

    [Fact]
    public async Task An_agent_cannot_open_the_pipeline_settings()
    {
        var workspaceId = await App.CreateWorkspace(fixture.AdminToken, Unique("Domínio Agente"));
        var email = $"{Guid.NewGuid():N}@empresa.com.br";
        await App.CreateUser(fixture.AdminToken, email, "Agent", workspaceId);
        using var agent = await App.LoggedIn(email, TestApp.Password);
        foreach (var url in new[] { "/settings/pipelines", "/settings/pipelines/new" })
        {
            var response = await agent.GetAsync(url, Ct);
            Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
            Assert.Contains("/acesso-negado", response.Headers.Location!.OriginalString, StringComparison.Ordinal);
        }
        var home = await agent.GetPage("/");
        Assert.Null(home.QuerySelector("a[href='/settings/pipelines']"));
    }
}

public sealed class PipelinePageTestsSqlite(SqliteFixture fixture) : PipelinePageTests(fixture), IClassFixture<SqliteFixture>;

public sealed class PipelinePageTestsPostgres(PostgresFixture fixture) : PipelinePageTests(fixture), IClassFixture<PostgresFixture>;
