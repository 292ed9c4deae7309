using System.Net;
using System.Net.Http.Json;
using Atende.Core.Common;
using Atende.Core.Data;
using Atende.Core.Identity;
using Atende.Core.Partners;
using Atende.Core.Tickets;
using Atende.Web.Tests.Conversations;
using Atende.Web.Tests.Infrastructure;
using Atende.Web.Tests.Tickets;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Atende.Web.Tests.Identity;

/// <summary>
/// The one visibility module (Core/Identity/Visibility.cs): what admins, agents and portal users may see, and who may see a
/// ticket from the users' side. Data is made through the API as the app would; the module is asked directly.
/// </summary>
public abstract class VisibilityTests(AppFixture fixture)
{
    private TestApp App => fixture.App;
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <param name="Mine">The portal user's partner (workspace A): tickets in pipeline P (public and internal notes), archived, in the trash, and in pipeline Q.</param>
    private sealed record World(long WorkspaceA, string WorkspaceAName, long WorkspaceB, long PipelineP, string PipelinePName, long PipelineQ,
        long Mine, long Neighbor, long Foreign, long Open, long Archived, long Trashed, long OtherPipeline, long NeighborTicket, long ForeignTicket,
        long PublicNote, long InternalNote, long Conversation,
        long AdminId, long InsiderId, long NoPipelineId, long OutsiderId, long InactiveId, long PortalId, string PortalEmail)
    {
        public long[] Ours => [Open, Archived, Trashed, OtherPipeline, NeighborTicket, ForeignTicket];
    }

    private async Task<World> Setup()
    {
        var token = fixture.AdminToken;
        var admin = App.Api(token);
        var nameA = TicketSteps.Unique("Filial Campinas");
        var workspaceA = await App.CreateWorkspace(token, nameA);
        var workspaceB = await App.CreateWorkspace(token, TicketSteps.Unique("Filial Santos"));
        var (insiderId, _) = await App.CreateUser(token, $"dentro-{Guid.NewGuid():N}@empresa.test", "Agent", workspaceA);
        var (noPipelineId, _) = await App.CreateUser(token, $"sem-fluxo-{Guid.NewGuid():N}@empresa.test", "Agent", workspaceA);
        var (outsiderId, _) = await App.CreateUser(token, $"fora-{Guid.NewGuid():N}@empresa.test", "Agent", workspaceB);
        var (inactiveId, _) = await App.CreateUser(token, $"inativo-{Guid.NewGuid():N}@empresa.test", "Agent", workspaceA);
        var pipelineP = await TicketSteps.Pipeline(admin, users: [insiderId, outsiderId, inactiveId]);
        var pipelineQ = await TicketSteps.Pipeline(admin, users: [insiderId]);
        var p = pipelineP["id"]!.GetValue<long>();
        var q = pipelineQ["id"]!.GetValue<long>();
        var (mine, _) = await TicketSteps.Partner(admin, workspaceA, TicketSteps.Unique("Padaria do Portal"), "Ana");
        var (neighbor, _) = await TicketSteps.Partner(admin, workspaceA, TicketSteps.Unique("Mercado Vizinho"), "Bruno");
        var (foreign, _) = await TicketSteps.Partner(admin, workspaceB, TicketSteps.Unique("Oficina Santista"), "Carla");

        async Task<long> Ticket(long pipeline, long partner, string title) => (await TicketSteps.Ticket(admin, pipeline, partner, null, title))["id"]!.GetValue<long>();
        var open = await Ticket(p, mine, "Nota fiscal atrasada");
        var archived = await Ticket(p, mine, "Pedido antigo");
        var trashed = await Ticket(p, mine, "Aberto por engano");
        var otherPipeline = await Ticket(q, mine, "Outro fluxo");
        var neighborTicket = await Ticket(p, neighbor, "Do vizinho");
        var foreignTicket = await Ticket(p, foreign, "De Santos");
        await TicketSteps.Json(await admin.PostAsync($"/api/v1/tickets/{archived}/archive", null, Ct), HttpStatusCode.OK);
        Assert.True((await admin.DeleteAsync($"/api/v1/tickets/{trashed}", Ct)).IsSuccessStatusCode);
        var publicNote = (await TicketSteps.Json(await admin.PostAsJsonAsync($"/api/v1/tickets/{open}/interactions",
            new { body = "<p>Enviamos a nota hoje.</p>", @internal = false }, Ct), HttpStatusCode.Created))["id"]!.GetValue<long>();
        var internalNote = (await TicketSteps.Json(await admin.PostAsJsonAsync($"/api/v1/tickets/{open}/interactions",
            new { body = "<p>Cliente atrasa sempre, cobrar.</p>", @internal = true }, Ct), HttpStatusCode.Created))["id"]!.GetValue<long>();
        var conversation = (await ConversationData.Conversation(admin, mine))["id"]!.GetValue<long>();

        var portalEmail = $"portal-{Guid.NewGuid():N}@cliente.test";
        var portal = await TicketSteps.Json(await admin.PostAsJsonAsync("/api/v1/users",
            new { name = "Pessoa do Cliente", email = portalEmail, role = "Portal", partnerId = mine, seesCompanyRequests = true, password = TestApp.Password }, Ct), HttpStatusCode.Created);
        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync($"/api/v1/users/{inactiveId}", Ct)).StatusCode);
        var adminId = await ConversationData.UserId(admin, TestApp.AdminEmail);
        return new World(workspaceA, nameA, workspaceB, p, pipelineP["name"]!.GetValue<string>(), q, mine, neighbor, foreign,
            open, archived, trashed, otherPipeline, neighborTicket, foreignTicket, publicNote, internalNote, conversation,
            adminId, insiderId, noPipelineId, outsiderId, inactiveId, portal["id"]!.GetValue<long>(), portalEmail);
    }

    private IServiceScope Scope() => App.Services.CreateScope();

    private static async Task<Caller> Caller(AtendeDb db, long userId) => (await CallerFactory.Load(db, userId, ct: Ct))!;

    private static Task<List<long>> TicketIds(AtendeDb db, Caller caller, World w) =>
        Visibility.Tickets(db, caller).Where(t => w.Ours.Contains(t.Id)).OrderBy(t => t.Id).Select(t => t.Id).ToListAsync(Ct);

    private static Task<List<long>> PartnerIds(AtendeDb db, Caller caller, World w)
    {
        long[] ours = [w.Mine, w.Neighbor, w.Foreign];
        return Visibility.Partners(db, caller).Where(p => ours.Contains(p.Id)).OrderBy(p => p.Id).Select(p => p.Id).ToListAsync(Ct);
    }

    private static Task<List<long>> InteractionIds(AtendeDb db, Caller caller, long ticketId) =>
        Visibility.Interactions(db, caller, ticketId).OrderBy(i => i.Id).Select(i => i.Id).ToListAsync(Ct);

    [Fact]
    public async Task The_admin_sees_every_ticket_partner_interaction_and_conversation()
    {
        var w = await Setup();
        using var scope = Scope();
        var db = scope.ServiceProvider.GetRequiredService<AtendeDb>();
        var admin = await Caller(db, w.AdminId);

        Assert.Equal(w.Ours.Order(), await TicketIds(db, admin, w));
        Assert.Equal([w.Mine, w.Neighbor, w.Foreign], await PartnerIds(db, admin, w));
        Assert.Equal([w.PublicNote, w.InternalNote], await InteractionIds(db, admin, w.Open));
        Assert.True(await Visibility.Conversations(db, admin).AnyAsync(c => c.Id == w.Conversation, Ct));
        Assert.True(await Visibility.Pipelines(db, admin).AnyAsync(p => p.Id == w.PipelineQ, Ct));
        Assert.True(await Visibility.Workspaces(db, admin).AnyAsync(x => x.Id == w.WorkspaceB, Ct));
    }

    [Fact]
    public async Task An_agent_with_the_workspace_but_not_the_pipeline_sees_none_of_its_tickets_but_the_workspaces_partners()
    {
        var w = await Setup();
        using var scope = Scope();
        var db = scope.ServiceProvider.GetRequiredService<AtendeDb>();
        var noPipeline = await Caller(db, w.NoPipelineId);
        var insider = await Caller(db, w.InsiderId);
        var outsider = await Caller(db, w.OutsiderId);

        Assert.Empty(await TicketIds(db, noPipeline, w));
        Assert.Empty(await InteractionIds(db, noPipeline, w.Open));
        Assert.Equal([w.Mine, w.Neighbor], await PartnerIds(db, noPipeline, w));
        Assert.True(await Visibility.Conversations(db, noPipeline).AnyAsync(c => c.Id == w.Conversation, Ct));
        // Both grants: every bin of workspace A's tickets in P and Q (the staff rule has no bin), nothing of workspace B.
        Assert.Equal(new[] { w.Open, w.Archived, w.Trashed, w.OtherPipeline, w.NeighborTicket }.Order(), await TicketIds(db, insider, w));
        Assert.Equal([w.PublicNote, w.InternalNote], await InteractionIds(db, insider, w.Open));
        // The pipeline without workspace A: only workspace B's ticket, and none of workspace A's conversations.
        Assert.Equal([w.ForeignTicket], await TicketIds(db, outsider, w));
        Assert.False(await Visibility.Conversations(db, outsider).AnyAsync(c => c.Id == w.Conversation, Ct));
        Assert.False(Visibility.SeesWorkspace(outsider, w.WorkspaceA));
        Assert.False(Visibility.SeesPipeline(noPipeline, w.PipelineP));
    }

    [Fact]
    public async Task A_portal_user_sees_only_their_partners_tickets_outside_the_trash_and_their_public_interactions()
    {
        var w = await Setup();
        using var scope = Scope();
        var db = scope.ServiceProvider.GetRequiredService<AtendeDb>();
        var portal = await Caller(db, w.PortalId);

        // Any pipeline, archived too; not the trash, not another partner of the same workspace, not another workspace.
        Assert.Equal(new[] { w.Open, w.Archived, w.OtherPipeline }.Order(), await TicketIds(db, portal, w));
        Assert.Equal([w.PublicNote], await InteractionIds(db, portal, w.Open));
        Assert.Empty(await InteractionIds(db, portal, w.NeighborTicket));
        Assert.Equal([w.Mine], await PartnerIds(db, portal, w));
        Assert.False(await Visibility.Conversations(db, portal).AnyAsync(Ct));
        Assert.False(await Visibility.Pipelines(db, portal).AnyAsync(Ct));
        Assert.False(await Visibility.Workspaces(db, portal).AnyAsync(Ct));

        // A portal caller without a partner sees nothing at all.
        var orphan = new Caller(w.PortalId, "Sem entidade", UserRole.Portal, []);
        Assert.Empty(await TicketIds(db, orphan, w));
        Assert.Empty(await PartnerIds(db, orphan, w));
    }

    [Fact]
    public async Task The_staff_services_and_api_still_show_a_portal_user_nothing()
    {
        var w = await Setup();
        using (var scope = Scope())
        {
            var db = scope.ServiceProvider.GetRequiredService<AtendeDb>();
            var portal = await Caller(db, w.PortalId);
            var events = scope.ServiceProvider.GetRequiredService<Atende.Core.Events.EventLog>();
            var tickets = new TicketService(db, portal, events);
            await Assert.ThrowsAsync<ForbiddenException>(() => tickets.Get(w.Open, Ct));
            await Assert.ThrowsAsync<ForbiddenException>(() => tickets.List(new TicketFilter(null), null, ct: Ct));
            await Assert.ThrowsAsync<ForbiddenException>(() => tickets.ListForPartner(w.Mine, null, ct: Ct));
            await Assert.ThrowsAsync<ForbiddenException>(() => tickets.Interactions(w.Open, ct: Ct));
            var partners = new PartnerService(db, portal, events);
            await Assert.ThrowsAsync<ForbiddenException>(() => partners.Get(w.Mine, Ct));
            await Assert.ThrowsAsync<ForbiddenException>(() => partners.List(new PartnerFilter(null, null, null, null), null, ct: Ct));
        }
        using var api = App.Api(await App.Token(w.PortalEmail, TestApp.Password));
        foreach (var url in new[] { $"/api/v1/tickets/{w.Open}", $"/api/v1/tickets/{w.Open}/interactions", $"/api/v1/partners/{w.Mine}", "/api/v1/tickets",
                     $"/api/v1/conversations", "/api/v1/agenda/partners-without-conversation", "/api/v1/partners/export" })
        {
            Assert.Equal(HttpStatusCode.Forbidden, (await api.GetAsync(url, Ct)).StatusCode);
        }
    }

    [Fact]
    public async Task Users_who_see_a_ticket_are_active_admins_and_agents_with_both_grants_and_the_refusal_names_what_is_missing()
    {
        var w = await Setup();
        using var scope = Scope();
        var db = scope.ServiceProvider.GetRequiredService<AtendeDb>();
        long[] ours = [w.AdminId, w.InsiderId, w.NoPipelineId, w.OutsiderId, w.InactiveId, w.PortalId];

        var inA = await Visibility.UsersWhoSee(db, w.PipelineP, w.WorkspaceA).Where(u => ours.Contains(u.Id)).Select(u => u.Id).OrderBy(id => id).ToListAsync(Ct);
        Assert.Equal(new[] { w.AdminId, w.InsiderId }.Order(), inA);
        var inB = await Visibility.UsersWhoSee(db, w.PipelineP, w.WorkspaceB).Where(u => ours.Contains(u.Id)).Select(u => u.Id).OrderBy(id => id).ToListAsync(Ct);
        Assert.Equal(new[] { w.AdminId, w.OutsiderId }.Order(), inB);

        var open = await db.Tickets.AsNoTracking().SingleAsync(t => t.Id == w.Open, Ct);
        Assert.True(await Visibility.UserSees(db, w.InsiderId, open, Ct));
        Assert.False(await Visibility.UserSees(db, w.InactiveId, open, Ct));
        Assert.False(await Visibility.UserSees(db, w.PortalId, open, Ct));
        Assert.False(await Visibility.UserSees(db, w.NoPipelineId, open, Ct));

        var noPipelineName = await db.Users.Where(u => u.Id == w.NoPipelineId).Select(u => u.Name).SingleAsync(Ct);
        Assert.Equal($"{noPipelineName} não tem acesso a este atendimento (fluxo {w.PipelinePName}).",
            await Visibility.NoAccess(db, w.NoPipelineId, w.PipelineP, w.WorkspaceA, Ct));
        var outsiderName = await db.Users.Where(u => u.Id == w.OutsiderId).Select(u => u.Name).SingleAsync(Ct);
        Assert.Equal($"{outsiderName} não tem acesso a este atendimento (domínio {w.WorkspaceAName}).",
            await Visibility.NoAccess(db, w.OutsiderId, w.PipelineP, w.WorkspaceA, Ct));
    }
}

public sealed class VisibilityTestsSqlite(SqliteFixture fixture) : VisibilityTests(fixture), IClassFixture<SqliteFixture>;

public sealed class VisibilityTestsPostgres(PostgresFixture fixture) : VisibilityTests(fixture), IClassFixture<PostgresFixture>;
