using System.Net;
using System.Net.Http.Json;
using Atende.Core.Data;
using Atende.Core.Tickets;
using Atende.Web.Tests.Infrastructure;
using Atende.Web.Tests.Tickets;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Atende.Web.Tests.Partners;

/// <summary>A partner's tickets follow its name and workspace (requester, search, who sees them), in a few statements.</summary>
public abstract class PartnerTicketsFollowTests(AppFixture fixture)
{
    private TestApp App => fixture.App;
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private sealed record Setup(HttpClient Api, long WorkspaceId, long PipelineId, long PartnerId, long ContactId, string ContactName);

    /// <summary>A partner with a contact and <paramref name="count"/> tickets: the first made through the API, the rest copies of it, every other one without the contact.</summary>
    private async Task<Setup> PartnerWithTickets(int count, long[]? users = null, long? workspaceId = null)
    {
        var api = App.Api(fixture.AdminToken);
        var ws = workspaceId ?? await App.CreateWorkspace(fixture.AdminToken, TicketSteps.Unique("Domínio"));
        var pipeline = await TicketSteps.Pipeline(api, users: users);
        var pipelineId = pipeline["id"]!.GetValue<long>();
        var alias = pipeline["alias"]!.GetValue<string>();
        var contactName = TicketSteps.Unique("Júlia Contato");
        var (partnerId, contactId) = await TicketSteps.Partner(api, ws, TicketSteps.Unique("Padaria Antiga"), contactName);
        await TicketSteps.Ticket(api, pipelineId, partnerId, contactId, "Primeiro pedido");
        await using var scope = App.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AtendeDb>();
        var first = await db.Tickets.AsNoTracking().SingleAsync(t => t.PartnerId == partnerId, Ct);
        for (var n = 2; n <= count; n++)
        {
            var withContact = n % 2 == 1;
            var reference = $"{alias}-{n}";
            var title = $"Pedido número {n}";
            var requester = withContact ? first.RequesterName : (await db.Partners.FindAsync([partnerId], Ct))!.Name;
            db.Tickets.Add(new Ticket
            {
                PipelineId = pipelineId, WorkspaceId = first.WorkspaceId, Reference = reference, Number = n, Title = title, PartnerId = partnerId,
                ContactId = withContact ? contactId : null, Status = first.Status, CreatedAt = first.CreatedAt, CreatedById = first.CreatedById,
                UpdatedAt = first.UpdatedAt, RequesterName = requester, TitleSort = SearchText.Normalize(title), RequesterSort = SearchText.Normalize(requester),
                SearchText = SearchText.Build(reference, title, requester, (await db.Partners.FindAsync([partnerId], Ct))!.Name), Version = 1,
            });
        }
        await db.SaveChangesAsync(Ct);
        return new Setup(api, ws, pipelineId, partnerId, contactId, contactName);
    }

    private async Task<HttpResponseMessage> Rename(HttpClient api, long partnerId, object changes)
    {
        var etag = (await api.GetAsync($"/api/v1/partners/{partnerId}", Ct)).Headers.ETag!.Tag;
        return await TicketSteps.Patch(api, $"/api/v1/partners/{partnerId}", changes, etag);
    }

    private async Task<List<Ticket>> Tickets(long partnerId)
    {
        await using var scope = App.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<AtendeDb>().Tickets.AsNoTracking().Where(t => t.PartnerId == partnerId).OrderBy(t => t.Id).ToListAsync(Ct);
    }

    /// <summary>How many tickets the text index finds for a word (SQLite's FTS5 table; PostgreSQL searches the column itself).</summary>
    private async Task<int> IndexMatches(string word)
    {
        await using var scope = App.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AtendeDb>();
        return fixture.Provider == "Sqlite"
            ? await db.Database.SqlQuery<int>($"SELECT count(*) AS \"Value\" FROM TicketSearch WHERE TicketSearch MATCH {'"' + word + '"'}").SingleAsync(Ct)
            : await db.Tickets.CountAsync(t => t.SearchText.Contains(word), Ct);
    }

    [Fact]
    public async Task Renaming_and_moving_a_partner_updates_its_300_tickets_requester_search_and_who_sees_them()
    {
        var oldWs = await App.CreateWorkspace(fixture.AdminToken, TicketSteps.Unique("Domínio antigo"));
        var newWs = await App.CreateWorkspace(fixture.AdminToken, TicketSteps.Unique("Domínio novo"));
        var (oldAgentId, oldAgentToken) = await App.CreateUser(fixture.AdminToken, $"antigo{Guid.NewGuid():N}@test.com.br", "Agent", oldWs);
        var (newAgentId, newAgentToken) = await App.CreateUser(fixture.AdminToken, $"novo{Guid.NewGuid():N}@test.com.br", "Agent", newWs);
        var s = await PartnerWithTickets(300, [oldAgentId, newAgentId], oldWs);
        var listUrl = $"/api/v1/tickets?pipelineId={s.PipelineId}&limit=200";
        Assert.Equal(200, (await TicketSteps.References(App.Api(oldAgentToken), listUrl)).Length);
        Assert.Empty(await TicketSteps.References(App.Api(newAgentToken), listUrl));

        var newName = TicketSteps.Unique("Confeitaria Nova Açúcar");
        await TicketSteps.Json(await Rename(s.Api, s.PartnerId, new { name = newName, workspaceId = newWs }), HttpStatusCode.OK);

        var tickets = await Tickets(s.PartnerId);
        Assert.Equal(300, tickets.Count);
        Assert.All(tickets, t =>
        {
            var requester = t.ContactId is null ? newName : s.ContactName;
            Assert.Equal(requester, t.RequesterName);
            Assert.Equal(SearchText.Normalize(requester), t.RequesterSort);
            Assert.Equal(newWs, t.WorkspaceId);
            Assert.Equal(SearchText.Build(t.Reference, t.Title, requester, newName), t.SearchText);
        });
        Assert.Equal(300, await IndexMatches(SearchText.Normalize(newName)));
        var found = await TicketSteps.Json(await s.Api.GetAsync($"/api/v1/tickets?pipelineId={s.PipelineId}&limit=200&q={Uri.EscapeDataString(newName)}", Ct), HttpStatusCode.OK);
        Assert.Equal(200, found["items"]!.AsArray().Count);
        Assert.NotNull(found["next"]);
        Assert.Empty(await TicketSteps.References(s.Api, $"pipelineId={s.PipelineId}&q={Uri.EscapeDataString("Padaria Antiga")}"));
        Assert.Empty(await TicketSteps.References(App.Api(oldAgentToken), listUrl));
        Assert.Equal(200, (await TicketSteps.References(App.Api(newAgentToken), listUrl)).Length);
    }

    [Fact]
    public async Task Removing_a_contact_makes_the_partner_the_requester_of_its_tickets()
    {
        var s = await PartnerWithTickets(20);
        var partnerName = (await Tickets(s.PartnerId)).First(t => t.ContactId is null).RequesterName;

        var removed = await s.Api.DeleteAsync($"/api/v1/partners/{s.PartnerId}/contacts/{s.ContactId}", Ct);
        Assert.True(removed.IsSuccessStatusCode, $"{(int)removed.StatusCode}");

        Assert.All(await Tickets(s.PartnerId), t =>
        {
            Assert.Null(t.ContactId);
            Assert.Equal(partnerName, t.RequesterName);
            Assert.Equal(SearchText.Build(t.Reference, t.Title, partnerName, partnerName), t.SearchText);
        });
        Assert.Equal(0, await IndexMatches(SearchText.Normalize(s.ContactName)));
    }

    [Fact]
    public async Task Renaming_a_partner_runs_as_many_statements_with_300_tickets_as_with_10()
    {
        var few = await PartnerWithTickets(10);
        var many = await PartnerWithTickets(300);
        var withFew = await App.Sql.StatementsDuring(async () =>
            await TicketSteps.Json(await Rename(few.Api, few.PartnerId, new { name = TicketSteps.Unique("Poucos") }), HttpStatusCode.OK));
        var withMany = await App.Sql.StatementsDuring(async () =>
            await TicketSteps.Json(await Rename(many.Api, many.PartnerId, new { name = TicketSteps.Unique("Muitos") }), HttpStatusCode.OK));

        Assert.True(withFew > 0, "no SQL statement was counted");
        Assert.Equal(withFew, withMany);
    }

    [Fact]
    public async Task The_board_runs_as_many_queries_with_8_tag_columns_as_with_2()
    {
        var api = App.Api(fixture.AdminToken);
        var browser = await App.LoggedIn();
        async Task<int> BoardQueries(int tags)
        {
            var pipeline = await TicketSteps.Pipeline(api, tags: Enumerable.Range(1, tags).Select(n => $"Etapa {n}").ToArray());
            var id = pipeline["id"]!.GetValue<long>();
            var (partnerId, _) = await TicketSteps.Partner(api, await App.CreateWorkspace(fixture.AdminToken, TicketSteps.Unique("Domínio")), TicketSteps.Unique("Quadro"), "Rui");
            foreach (var tagId in await TicketSteps.TagIds(api, id))
            {
                await TicketSteps.Ticket(api, id, partnerId, null, "Cartão", new { tagIds = new[] { tagId } });
            }
            await browser.GetPage($"/tickets/board?pipelineId={id}");
            var count = await App.Sql.StatementsDuring(async () =>
            {
                var board = await browser.GetPage($"/tickets/board?pipelineId={id}");
                Assert.Equal(tags, board.QuerySelectorAll(".board-card").Length);
            });
            return count;
        }

        Assert.Equal(await BoardQueries(2), await BoardQueries(8));
    }
}

public sealed class PartnerTicketsFollowTestsSqlite(SqliteFixture fixture) : PartnerTicketsFollowTests(fixture), IClassFixture<SqliteFixture>;

public sealed class PartnerTicketsFollowTestsPostgres(PostgresFixture fixture) : PartnerTicketsFollowTests(fixture), IClassFixture<PostgresFixture>;
