using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Atende.Core.Data;
using Atende.Core.Events;
using Atende.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Atende.Web.Tests.Tickets;

/// <summary>
/// A ticket's chat through the API (<c>/api/v1/tickets/{id}/chat</c>): numbered messages read after the last number, for the
/// staff who see the ticket and its portal users only; concurrent posts never share or skip a number; bad input is named.
/// </summary>
public abstract class ChatApiTests(AppFixture fixture)
{
    private TestApp App => fixture.App;
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task<long[]> Seqs(HttpClient api, long ticketId, long after = 0) =>
        (await TicketSteps.Json(await api.GetAsync($"/api/v1/tickets/{ticketId}/chat?after={after}", Ct), HttpStatusCode.OK))["items"]!.AsArray()
            .Select(m => m!["seq"]!.GetValue<long>()).ToArray();

    [Fact]
    public async Task Staff_and_the_tickets_portal_user_chat_in_numbered_messages_and_nobody_else_reads_them()
    {
        var admin = App.Api(fixture.AdminToken);
        var workspace = await App.CreateWorkspace(fixture.AdminToken, TicketSteps.Unique("Filial Chat"));
        var other = await App.CreateWorkspace(fixture.AdminToken, TicketSteps.Unique("Filial Longe"));
        var pipeline = (await TicketSteps.Pipeline(admin))["id"]!.GetValue<long>();
        var (partner, _) = await TicketSteps.Partner(admin, workspace, TicketSteps.Unique("Padaria do Chat"), "Ana");
        var (foreignPartner, _) = await TicketSteps.Partner(admin, other, TicketSteps.Unique("Oficina"), "Caio");
        var ticket = (await TicketSteps.Ticket(admin, pipeline, partner, null, "Pão de queijo congelado"))["id"]!.GetValue<long>();

        var first = await TicketSteps.Json(await admin.PostAsJsonAsync($"/api/v1/tickets/{ticket}/chat", new { body = "Bom dia! <b>Como</b> posso ajudar?\nEstou por aqui." }, Ct), HttpStatusCode.Created);
        Assert.Equal(1, first["seq"]!.GetValue<long>());
        // Plain text, kept as typed: the screens escape it.
        Assert.Equal("Bom dia! <b>Como</b> posso ajudar?\nEstou por aqui.", first["body"]!.GetValue<string>());
        Assert.False(first["fromCustomer"]!.GetValue<bool>());

        // The ticket's portal user (company scope) reads and answers; another partner's portal user and an agent of another
        // workspace get 404.
        async Task<HttpClient> Portal(long partnerId)
        {
            var email = $"chat-{Guid.NewGuid():N}@cliente.test";
            await TicketSteps.Json(await admin.PostAsJsonAsync("/api/v1/users",
                new { name = "Ana Cliente", email, role = "Portal", partnerId, seesCompanyRequests = true, password = TestApp.Password }, Ct), HttpStatusCode.Created);
            return App.Api(await App.Token(email, TestApp.Password));
        }
        using var customer = await Portal(partner);
        Assert.Equal(new long[] { 1 }, await Seqs(customer, ticket));
        var answer = await TicketSteps.Json(await customer.PostAsJsonAsync($"/api/v1/tickets/{ticket}/chat", new { body = "Quero 20 kg para sexta." }, Ct), HttpStatusCode.Created);
        Assert.Equal(2, answer["seq"]!.GetValue<long>());
        Assert.True(answer["fromCustomer"]!.GetValue<bool>());
        Assert.Equal("Ana Cliente", answer["authorName"]!.GetValue<string>());
        using var stranger = await Portal(foreignPartner);
        var (_, outsiderToken) = await App.CreateUser(fixture.AdminToken, $"fora-{Guid.NewGuid():N}@empresa.test", "Agent", other);
        using var outsider = App.Api(outsiderToken);
        foreach (var api in new[] { stranger, outsider })
        {
            Assert.Equal(HttpStatusCode.NotFound, (await api.GetAsync($"/api/v1/tickets/{ticket}/chat", Ct)).StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, (await api.PostAsJsonAsync($"/api/v1/tickets/{ticket}/chat", new { body = "Oi" }, Ct)).StatusCode);
        }

        // A reader that has up to 1 gets what came after; nine posts at once (the pace allows a burst of ten) take nine
        // distinct numbers, none skipped.
        Assert.Equal(new long[] { 2 }, await Seqs(admin, ticket, after: 1));
        var posts = Enumerable.Range(0, 9).Select(i => admin.PostAsJsonAsync($"/api/v1/tickets/{ticket}/chat", new { body = $"Mensagem {i}" }, Ct));
        Assert.All(await Task.WhenAll(posts), r => Assert.Equal(HttpStatusCode.Created, r.StatusCode));
        Assert.Equal(Enumerable.Range(1, 11).Select(i => (long)i), await Seqs(customer, ticket));
        Assert.Empty(await Seqs(customer, ticket, after: 11));
        using (var scope = App.Services.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<AtendeDb>();
            Assert.Equal(11, await db.Events.CountAsync(e => e.TicketId == ticket && e.Type == EventTypes.ChatMessagePosted, Ct));
        }

        // Bad input names the field; a ticket in the trash takes no messages.
        async Task Refused(string url, object? body, string field)
        {
            var response = body is null ? await admin.GetAsync(url, Ct) : await admin.PostAsJsonAsync(url, body, Ct);
            var problem = await TicketSteps.Problem(response, HttpStatusCode.BadRequest);
            Assert.True(problem["errors"]!.AsObject().ContainsKey(field), problem.ToJsonString());
        }
        await Refused($"/api/v1/tickets/{ticket}/chat", new { body = "   " }, "body");
        await Refused($"/api/v1/tickets/{ticket}/chat", new { body = new string('x', 20_000) }, "body");
        await Refused($"/api/v1/tickets/{ticket}/chat?after=-1", null, "after");
        var notANumber = await TicketSteps.Problem(await admin.GetAsync($"/api/v1/tickets/{ticket}/chat?after=abc", Ct), HttpStatusCode.BadRequest);
        Assert.Contains("after", notANumber.ToJsonString(), StringComparison.Ordinal);
        Assert.True((await admin.DeleteAsync($"/api/v1/tickets/{ticket}", Ct)).IsSuccessStatusCode);
        await TicketSteps.Problem(await admin.PostAsJsonAsync($"/api/v1/tickets/{ticket}/chat", new { body = "Ainda aí?" }, Ct), HttpStatusCode.Conflict);
        Assert.Equal(HttpStatusCode.NotFound, (await customer.GetAsync($"/api/v1/tickets/{ticket}/chat", Ct)).StatusCode);
    }
}

public sealed class ChatApiTestsSqlite(SqliteFixture fixture) : ChatApiTests(fixture), IClassFixture<SqliteFixture>;

public sealed class ChatApiTestsPostgres(PostgresFixture fixture) : ChatApiTests(fixture), IClassFixture<PostgresFixture>;
