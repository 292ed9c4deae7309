using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using AngleSharp.Html.Dom;
using Atende.Core.Data;
using Atende.Web.Tests.Email;
using Atende.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Atende.Web.Tests.Tickets;

/// <summary>
/// Issue 13: an assignee must see the ticket (pipeline grant and the requester's workspace), and nobody is told about a ticket
/// (notification, e-mail) they cannot open.
/// </summary>
public abstract class TicketAssigneeAccessTests(AppFixture fixture)
{
    private TestApp App => fixture.App;
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <param name="Insider">Agent of workspace A with the pipeline.</param>
    /// <param name="Outsider">Agent with the pipeline but only workspace B.</param>
    private sealed record World(HttpClient Admin, long WorkspaceA, string WorkspaceAName, long WorkspaceB, long PipelineId, long PartnerA, long PartnerB,
        long InsiderId, string InsiderEmail, HttpClient InsiderApi, long OutsiderId, string OutsiderEmail);

    private async Task<World> Setup()
    {
        var admin = App.Api(fixture.AdminToken);
        var nameA = TicketSteps.Unique("Filial Campinas");
        var workspaceA = await App.CreateWorkspace(fixture.AdminToken, nameA);
        var workspaceB = await App.CreateWorkspace(fixture.AdminToken, TicketSteps.Unique("Filial Santos"));
        var insiderEmail = $"dentro-{Guid.NewGuid():N}@empresa.test";
        var outsiderEmail = $"fora-{Guid.NewGuid():N}@empresa.test";
        var (insiderId, insiderToken) = await App.CreateUser(fixture.AdminToken, insiderEmail, "Agent", workspaceA);
        var (outsiderId, _) = await App.CreateUser(fixture.AdminToken, outsiderEmail, "Agent", workspaceB);
        var pipeline = await TicketSteps.Pipeline(admin, users: [insiderId, outsiderId]);
        var partnerA = await TicketSteps.Json(await admin.PostAsJsonAsync("/api/v1/partners", new { name = TicketSteps.Unique("Cliente A"), workspaceId = workspaceA }, Ct), HttpStatusCode.Created);
        var partnerB = await TicketSteps.Json(await admin.PostAsJsonAsync("/api/v1/partners", new { name = TicketSteps.Unique("Cliente B"), workspaceId = workspaceB }, Ct), HttpStatusCode.Created);
        return new World(admin, workspaceA, nameA, workspaceB, pipeline["id"]!.GetValue<long>(), partnerA["id"]!.GetValue<long>(), partnerB["id"]!.GetValue<long>(),
            insiderId, insiderEmail, App.Api(insiderToken), outsiderId, outsiderEmail);
    }

    private string NoAccess(World w) => $"Usuário {w.OutsiderEmail} não tem acesso a este atendimento (domínio {w.WorkspaceAName}).";

    private static async Task<HttpResponseMessage> Patch(HttpClient api, long id, object body)
    {
        using var get = await api.GetAsync($"/api/v1/tickets/{id}", Ct);
        return await TicketSteps.Patch(api, $"/api/v1/tickets/{id}", body, get.Headers.ETag!.Tag);
    }

    private static async Task<JsonNode?> Assignee(World w, long id) =>
        (await TicketSteps.Json(await w.Admin.GetAsync($"/api/v1/tickets/{id}", Ct), HttpStatusCode.OK))["assigneeId"];

    [Fact]
    public async Task An_assignee_who_lacks_the_tickets_workspace_is_refused_naming_assigneeId_and_the_admin_can_be_assigned()
    {
        var w = await Setup();
        var ticket = await TicketSteps.Ticket(w.InsiderApi, w.PipelineId, w.PartnerA, null, "Folha de pagamento");
        var id = ticket["id"]!.GetValue<long>();

        var refused = await TicketSteps.Problem(await Patch(w.InsiderApi, id, new { assigneeId = w.OutsiderId }), HttpStatusCode.BadRequest);
        Assert.Equal(NoAccess(w), refused["errors"]!["assigneeId"]![0]!.GetValue<string>());
        Assert.Null(await Assignee(w, id));

        var atCreation = await TicketSteps.Problem(await w.InsiderApi.PostAsJsonAsync("/api/v1/tickets",
            new { pipelineId = w.PipelineId, partnerId = w.PartnerA, title = "Outro", assigneeId = w.OutsiderId }, Ct), HttpStatusCode.BadRequest);
        Assert.Equal(NoAccess(w), atCreation["errors"]!["assigneeId"]![0]!.GetValue<string>());
        Assert.Equal([ticket["reference"]!.GetValue<string>()], await TicketSteps.References(w.Admin, $"pipelineId={w.PipelineId}"));

        // The admin sees every ticket and can be assigned; so can the agent of workspace A.
        var adminId = await TicketSteps.Json(await w.Admin.GetAsync("/api/v1/users?limit=200", Ct), HttpStatusCode.OK) is var users
            ? users["items"]!.AsArray().First(u => u!["email"]!.GetValue<string>() == TestApp.AdminEmail)!["id"]!.GetValue<long>() : 0;
        await TicketSteps.Json(await Patch(w.InsiderApi, id, new { assigneeId = adminId }), HttpStatusCode.OK);
        Assert.Equal(adminId, (await Assignee(w, id))!.GetValue<long>());
        await TicketSteps.Json(await Patch(w.InsiderApi, id, new { assigneeId = w.InsiderId }), HttpStatusCode.OK);

        // Moving the requester to workspace B would leave the assignee without access: refused, nothing saved.
        var moved = await TicketSteps.Problem(await Patch(w.Admin, id, new { partnerId = w.PartnerB }), HttpStatusCode.BadRequest);
        Assert.StartsWith($"Usuário {w.InsiderEmail} não tem acesso a este atendimento (domínio ", moved["errors"]!["assigneeId"]![0]!.GetValue<string>(), StringComparison.Ordinal);
        var saved = await TicketSteps.Json(await w.Admin.GetAsync($"/api/v1/tickets/{id}", Ct), HttpStatusCode.OK);
        Assert.Equal(w.PartnerA, saved["partnerId"]!.GetValue<long>());

        // Moving to a pipeline the assignee is not authorized on is refused too, naming the assignee.
        var other = await TicketSteps.Pipeline(w.Admin);
        var move = await TicketSteps.Problem(await w.Admin.PostAsJsonAsync($"/api/v1/tickets/{id}/move", new { pipelineId = other["id"]!.GetValue<long>() }, Ct), HttpStatusCode.BadRequest);
        Assert.Equal($"O responsável Usuário {w.InsiderEmail} não tem acesso ao fluxo \"{other["name"]}\": troque o responsável antes de mover.",
            move["errors"]!["pipelineId"]![0]!.GetValue<string>());
        Assert.Equal(w.PipelineId, (await TicketSteps.Json(await w.Admin.GetAsync($"/api/v1/tickets/{id}", Ct), HttpStatusCode.OK))["pipelineId"]!.GetValue<long>());
    }

    [Fact]
    public async Task The_form_the_header_and_the_row_menu_offer_only_users_who_see_the_ticket_and_a_forged_choice_is_refused()
    {
        var w = await Setup();
        var ticket = await TicketSteps.Ticket(w.InsiderApi, w.PipelineId, w.PartnerA, null, "Férias coletivas");
        var id = ticket["id"]!.GetValue<long>();
        using var browser = await App.LoggedIn(w.InsiderEmail);
        var outsider = "Usuário " + w.OutsiderEmail;

        var page = await browser.GetPage($"/tickets/{id}");
        var formChoices = page.QuerySelectorAll("#Input_AssigneeId option").Select(o => o.TextContent.Trim()).ToList();
        Assert.Contains("Usuário " + w.InsiderEmail, formChoices);
        Assert.Contains("Administradora Teste", formChoices);
        Assert.DoesNotContain(outsider, formChoices);
        Assert.DoesNotContain(outsider, page.QuerySelectorAll("#quick-assignee option").Select(o => o.TextContent.Trim()));

        var newPage = await browser.GetPage($"/tickets/new?pipelineId={w.PipelineId}&partnerId={w.PartnerA}");
        Assert.DoesNotContain(outsider, newPage.QuerySelectorAll("#Input_AssigneeId option").Select(o => o.TextContent.Trim()));

        using var request = new HttpRequestMessage(HttpMethod.Get, $"/tickets?pipelineId={w.PipelineId}&handler=Assignees&id={id}");
        request.Headers.Add("HX-Request", "true");
        using var menuResponse = await browser.SendAsync(request, Ct);
        Assert.Equal(HttpStatusCode.OK, menuResponse.StatusCode);
        var menu = new AngleSharp.Html.Parser.HtmlParser().ParseDocument("<body>" + await menuResponse.Content.ReadAsStringAsync(Ct) + "</body>");
        var menuChoices = menu.QuerySelectorAll("button").Select(b => b.TextContent.Trim()).ToList();
        Assert.Contains("Administradora Teste", menuChoices);
        Assert.DoesNotContain(outsider, menuChoices);

        // A forged post of the header's quick assign gets the same message, and nothing is saved.
        var url = $"/tickets/{id}";
        var refused = await browser.SubmitForm(url, "#quick-assign-form", new() { ["assigneeId"] = w.OutsiderId.ToString() });
        var after = await browser.GetPage(refused.Headers.Location?.ToString() ?? url);
        Assert.Contains(NoAccess(w), after.QuerySelector(".alert-danger")!.TextContent, StringComparison.Ordinal);
        Assert.Null(await Assignee(w, id));
        var form = (IHtmlFormElement)menu.QuerySelector("form")!;
        await browser.Submit(form, $"/tickets?pipelineId={w.PipelineId}", [], "assigneeId", w.OutsiderId.ToString());
        Assert.Null(await Assignee(w, id));
    }

    [Fact]
    public async Task An_assignee_whose_workspace_was_revoked_gets_no_notification_nor_email_and_Notificar_says_why()
    {
        var w = await Setup();
        await TicketSteps.Json(await w.Admin.PutAsJsonAsync("/api/v1/settings/smtp", new
        {
            host = "127.0.0.1", port = TestMailServer.Require().Port, security = "None", userName = (string?)null, password = (string?)null,
            fromName = "Empresa de Teste", fromAddress = "atendimento@empresa.test",
        }, Ct), HttpStatusCode.OK);
        var title = TicketSteps.Unique("Rescisão sigilosa");
        var ticket = await TicketSteps.Ticket(w.Admin, w.PipelineId, w.PartnerA, null, title, new { assigneeId = w.InsiderId });
        var id = ticket["id"]!.GetValue<long>();

        // The admin takes workspace A away from the assignee (they keep workspace B and the pipeline).
        await TicketSteps.Json(await TicketSteps.Patch(w.Admin, $"/api/v1/users/{w.InsiderId}", new { workspaceIds = new[] { w.WorkspaceB } }, "*"), HttpStatusCode.OK);

        var notified = await TicketSteps.Json(await w.Admin.PostAsync($"/api/v1/tickets/{id}/notify", null, Ct), HttpStatusCode.OK);
        Assert.Equal("skipped", notified["email"]!["status"]!.GetValue<string>());
        Assert.Equal($"o responsável Usuário {w.InsiderEmail} não tem mais acesso a este atendimento.", notified["email"]!["reason"]!.GetValue<string>());

        await using var scope = App.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AtendeDb>();
        Assert.False(await db.Notifications.AnyAsync(n => n.UserId == w.InsiderId, Ct));
        Assert.False(await db.OutboxEmails.AnyAsync(e => e.TicketId == id, Ct));
    }
}

public sealed class TicketAssigneeAccessTestsSqlite(SqliteFixture f) : TicketAssigneeAccessTests(f), IClassFixture<SqliteFixture>;

public sealed class TicketAssigneeAccessTestsPostgres(PostgresFixture f) : TicketAssigneeAccessTests(f), IClassFixture<PostgresFixture>;
