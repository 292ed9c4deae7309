using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Threading.Channels;
using Atende.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Atende.Web.Tests.Tickets;

/// <summary>A screen connected to <c>/hubs/live</c> with an API token, recording what the server pushes.</summary>
public sealed class LiveScreen : IAsyncDisposable
{
    private static readonly string[] Methods = ["chat", "typing", "read", "ticket", "notice", "resync"];
    private readonly Dictionary<string, Channel<JsonElement>> _inbox = Methods.ToDictionary(m => m, _ => Channel.CreateUnbounded<JsonElement>());
    private readonly TaskCompletionSource _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public HubConnection Connection { get; }

    private LiveScreen(HubConnection connection)
    {
        Connection = connection;
        foreach (var method in Methods)
        {
            if (method == "resync")
            {
                connection.On(method, () => _inbox[method].Writer.TryWrite(default));
            }
            else
            {
                connection.On<JsonElement>(method, e => _inbox[method].Writer.TryWrite(e));
            }
        }
        connection.Closed += _ =>
        {
            _closed.TrySetResult();
            return Task.CompletedTask;
        };
    }

    /// <summary>Connects through the test server (long polling: the test server has no WebSockets; the browser tests use them).</summary>
    public static async Task<LiveScreen> Open(TestApp app, string token)
    {
        var connection = new HubConnectionBuilder()
            .WithUrl(new Uri(app.Server.BaseAddress, "hubs/live"), o =>
            {
                o.Transports = HttpTransportType.LongPolling;
                o.HttpMessageHandlerFactory = _ => app.Server.CreateHandler();
                o.Headers["Authorization"] = "Bearer " + token;
            })
            .Build();
        var screen = new LiveScreen(connection);
        await connection.StartAsync(TestContext.Current.CancellationToken);
        return screen;
    }

    public Task<JsonElement> Watch(long ticketId, long afterSeq = 0) =>
        Connection.InvokeAsync<JsonElement>("Watch", ticketId, afterSeq, TestContext.Current.CancellationToken);

    public Task<JsonElement> Send(long ticketId, string body) =>
        Connection.InvokeAsync<JsonElement>("Send", ticketId, body, TestContext.Current.CancellationToken);

    /// <summary>The next push of <paramref name="method"/>, within 10 s.</summary>
    public async Task<JsonElement> Next(string method)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(10));
        try
        {
            return await _inbox[method].Reader.ReadAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            throw new Xunit.Sdk.XunitException($"No '{method}' pushed within 10 s.");
        }
    }

    /// <summary>Every push of <paramref name="method"/> received so far.</summary>
    public List<JsonElement> Received(string method)
    {
        var items = new List<JsonElement>();
        while (_inbox[method].Reader.TryRead(out var item))
        {
            items.Add(item);
        }
        return items;
    }

    public Task Closed => _closed.Task;

    public async ValueTask DisposeAsync() => await Connection.DisposeAsync();
}

/// <summary>
/// The live hub: chat between the staff who see a ticket and its portal users, caught up by <c>Seq</c>; authorization checked
/// on every call and every push (another workspace, a deactivated user mid-connection, a pipeline taken away, a portal scope
/// narrowed); typing and read marks; the list's ticket notes and the bell; bad input and floods refused with a message,
/// leaving the connection working.
/// </summary>
public abstract class LiveHubTests(AppFixture fixture)
{
    private TestApp App => fixture.App;
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private sealed record World(HttpClient Admin, long Workspace, long Pipeline, long Partner, long Ticket, long OtherWorkspace, long OtherPartner);

    private async Task<World> Build()
    {
        var admin = App.Api(fixture.AdminToken);
        var workspace = await App.CreateWorkspace(fixture.AdminToken, TicketSteps.Unique("Filial Ao Vivo"));
        var other = await App.CreateWorkspace(fixture.AdminToken, TicketSteps.Unique("Filial Distante"));
        var pipeline = (await TicketSteps.Pipeline(admin))["id"]!.GetValue<long>();
        var (partner, _) = await TicketSteps.Partner(admin, workspace, TicketSteps.Unique("Mercearia Ao Vivo"), "Ana");
        var (otherPartner, _) = await TicketSteps.Partner(admin, other, TicketSteps.Unique("Oficina"), "Caio");
        var ticket = (await TicketSteps.Ticket(admin, pipeline, partner, null, "Entrega atrasada"))["id"]!.GetValue<long>();
        return new World(admin, workspace, pipeline, partner, ticket, other, otherPartner);
    }

    /// <summary>An agent of <paramref name="workspace"/> authorized on <paramref name="pipeline"/>: (id, token).</summary>
    private async Task<(long Id, string Token)> Agent(World w, long workspace, bool authorized = true)
    {
        var agent = await App.CreateUser(fixture.AdminToken, $"agente-{Guid.NewGuid():N}@empresa.test", "Agent", workspace);
        if (authorized)
        {
            await Authorize(w, w.Pipeline, [agent.Id]);
        }
        return agent;
    }

    private static async Task Authorize(World w, long pipeline, long[] add, long? remove = null)
    {
        var current = await TicketSteps.Json(await w.Admin.GetAsync($"/api/v1/pipelines/{pipeline}", Ct), HttpStatusCode.OK);
        var users = current["authorizedUserIds"]!.AsArray().Select(u => u!.GetValue<long>()).Concat(add).Where(u => u != remove).Distinct().ToArray();
        var response = await TicketSteps.Patch(w.Admin, $"/api/v1/pipelines/{pipeline}", new { authorizedUserIds = users }, "*");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    private async Task<(long Id, string Token)> PortalUser(World w, long partnerId, bool seesCompany)
    {
        var email = $"cliente-{Guid.NewGuid():N}@cliente.test";
        var created = await TicketSteps.Json(await w.Admin.PostAsJsonAsync("/api/v1/users",
            new { name = "Ana Cliente", email, role = "Portal", partnerId, seesCompanyRequests = seesCompany, password = TestApp.Password }, Ct), HttpStatusCode.Created);
        return (created["id"]!.GetValue<long>(), await App.Token(email, TestApp.Password));
    }

    /// <summary>The message the hub refused a call with (what the screen shows), after SignalR's "An unexpected error … HubException: ".</summary>
    private static async Task<string> Refused(Func<Task> call)
    {
        var e = await Assert.ThrowsAsync<HubException>(call);
        var at = e.Message.IndexOf("HubException: ", StringComparison.Ordinal);
        Assert.True(at >= 0, e.Message);
        return e.Message[(at + "HubException: ".Length)..];
    }

    [Fact]
    public async Task Staff_and_the_portal_user_chat_live_and_nobody_else_can_watch()
    {
        var w = await Build();
        var (_, agentToken) = await Agent(w, w.Workspace);
        var (_, customerToken) = await PortalUser(w, w.Partner, seesCompany: true);
        var (_, outsiderToken) = await Agent(w, w.OtherWorkspace);
        var (_, strangerToken) = await PortalUser(w, w.OtherPartner, seesCompany: true);

        await using var agent = await LiveScreen.Open(App, agentToken);
        await using var customer = await LiveScreen.Open(App, customerToken);
        var opened = await agent.Watch(w.Ticket);
        Assert.Equal(0, opened.GetProperty("messages").GetArrayLength());
        await customer.Watch(w.Ticket);

        // A message sent through the hub reaches the other screen with author, time and number; HTML stays text.
        var sent = await agent.Send(w.Ticket, "Olá! <script>alert(1)</script> Já verifico.");
        Assert.Equal(1, sent.GetProperty("seq").GetInt64());
        var pushed = await customer.Next("chat");
        Assert.Equal(1, pushed.GetProperty("seq").GetInt64());
        Assert.Equal("Olá! <script>alert(1)</script> Já verifico.", pushed.GetProperty("body").GetString());
        Assert.StartsWith("Usuário agente-", pushed.GetProperty("authorName").GetString(), StringComparison.Ordinal);
        Assert.False(pushed.GetProperty("fromCustomer").GetBoolean());
        Assert.Equal(1, (await agent.Next("chat")).GetProperty("seq").GetInt64());

        // The customer answers; a message posted through the API reaches both screens the same way.
        await customer.Send(w.Ticket, "Obrigada!");
        Assert.True((await agent.Next("chat")).GetProperty("fromCustomer").GetBoolean());
        // Every screen of the ticket gets each message once, the sender's too (it keeps the number it was given).
        Assert.Equal(2, (await customer.Next("chat")).GetProperty("seq").GetInt64());
        Assert.Equal(HttpStatusCode.Created, (await w.Admin.PostAsJsonAsync($"/api/v1/tickets/{w.Ticket}/chat", new { body = "Pela API" }, Ct)).StatusCode);
        Assert.Equal("Pela API", (await customer.Next("chat")).GetProperty("body").GetString());

        // Typing reaches the others, never the typist; marks move forward and reach the others.
        await customer.Connection.InvokeAsync("Typing", w.Ticket, Ct);
        Assert.Equal("Ana Cliente", (await agent.Next("typing")).GetProperty("name").GetString());
        await customer.Connection.InvokeAsync("Receipt", w.Ticket, 3L, true, Ct);
        var read = await agent.Next("read");
        Assert.Equal(3, read.GetProperty("seq").GetInt64());
        Assert.True(read.GetProperty("read").GetBoolean());
        var receipts = (await agent.Watch(w.Ticket, 3)).GetProperty("receipts");
        Assert.Contains(receipts.EnumerateArray(), r => r.GetProperty("fromCustomer").GetBoolean() && r.GetProperty("readSeq").GetInt64() == 3);
        await customer.Connection.InvokeAsync("Receipt", w.Ticket, 1L, true, Ct);
        Assert.Empty(customer.Received("typing"));

        // Another workspace's agent and another company's customer cannot watch, send or type there; a forged id is just
        // a ticket nobody sees. Their connections keep working.
        foreach (var token in new[] { outsiderToken, strangerToken })
        {
            await using var intruder = await LiveScreen.Open(App, token);
            Assert.Equal("Atendimento não encontrado.", await Refused(() => intruder.Watch(w.Ticket)));
            Assert.Equal("Atendimento não encontrado.", await Refused(() => intruder.Send(w.Ticket, "Oi")));
            await Refused(() => intruder.Watch(long.MaxValue));
            await intruder.Connection.InvokeAsync("Typing", w.Ticket, Ct);
            await intruder.Connection.InvokeAsync("Unwatch", w.Ticket, Ct);
            Assert.Equal(HubConnectionState.Connected, intruder.Connection.State);
        }
        Assert.Equal("Atendimento não encontrado.", await Refused(() => customer.Watch(w.Ticket + 1_000_000)));
        // A portal user cannot watch the ticket list.
        await Refused(() => customer.Connection.InvokeAsync("WatchTickets", Ct));
        await agent.Send(w.Ticket, "Só para quem vê");
        await customer.Next("chat");
        Assert.Empty(agent.Received("typing"));
    }

    [Fact]
    public async Task A_screen_that_reconnects_catches_up_after_its_last_seq_with_nothing_lost_or_repeated()
    {
        var w = await Build();
        var (_, customerToken) = await PortalUser(w, w.Partner, seesCompany: true);
        long last;
        await using (var customer = await LiveScreen.Open(App, customerToken))
        {
            await customer.Watch(w.Ticket);
            for (var i = 1; i <= 3; i++)
            {
                await w.Admin.PostAsJsonAsync($"/api/v1/tickets/{w.Ticket}/chat", new { body = $"Antes {i}" }, Ct);
            }
            var seen = new List<long>();
            while (seen.Count < 3)
            {
                seen.Add((await customer.Next("chat")).GetProperty("seq").GetInt64());
            }
            Assert.Equal([1, 2, 3], seen);
            last = seen[^1];
        }
        // Offline: four more messages.
        for (var i = 1; i <= 4; i++)
        {
            await w.Admin.PostAsJsonAsync($"/api/v1/tickets/{w.Ticket}/chat", new { body = $"Enquanto fora {i}" }, Ct);
        }
        await using var back = await LiveScreen.Open(App, customerToken);
        var caughtUp = (await back.Watch(w.Ticket, last)).GetProperty("messages").EnumerateArray().Select(m => m.GetProperty("seq").GetInt64()).ToArray();
        Assert.Equal([4, 5, 6, 7], caughtUp);
        await w.Admin.PostAsJsonAsync($"/api/v1/tickets/{w.Ticket}/chat", new { body = "De volta" }, Ct);
        Assert.Equal(8, (await back.Next("chat")).GetProperty("seq").GetInt64());
        Assert.Equal(8, (await back.Watch(w.Ticket, -5)).GetProperty("messages").GetArrayLength());
    }

    [Fact]
    public async Task Losing_access_mid_connection_stops_the_pushes_at_once()
    {
        var w = await Build();
        var second = (await TicketSteps.Ticket(w.Admin, w.Pipeline, w.Partner, null, "Segundo atendimento"))["id"]!.GetValue<long>();

        // An agent deactivated while connected gets nothing more and is disconnected.
        var (deactivatedId, deactivatedToken) = await Agent(w, w.Workspace);
        await using var deactivated = await LiveScreen.Open(App, deactivatedToken);
        await deactivated.Watch(w.Ticket);
        Assert.Equal(HttpStatusCode.NoContent, (await w.Admin.DeleteAsync($"/api/v1/users/{deactivatedId}", Ct)).StatusCode);
        await w.Admin.PostAsJsonAsync($"/api/v1/tickets/{w.Ticket}/chat", new { body = "Depois da desativação" }, Ct);
        await deactivated.Closed.WaitAsync(TimeSpan.FromSeconds(15), Ct);
        Assert.Empty(deactivated.Received("chat"));

        // An agent taken off the pipeline stops hearing its tickets (the other one, in a pipeline they keep, still talks).
        var otherPipeline = (await TicketSteps.Pipeline(w.Admin))["id"]!.GetValue<long>();
        var kept = (await TicketSteps.Ticket(w.Admin, otherPipeline, w.Partner, null, "Em outro fluxo"))["id"]!.GetValue<long>();
        var (movedId, movedToken) = await Agent(w, w.Workspace);
        await Authorize(w, otherPipeline, [movedId]);
        await using var moved = await LiveScreen.Open(App, movedToken);
        await moved.Watch(w.Ticket);
        await moved.Watch(kept);
        await Authorize(w, w.Pipeline, [], remove: movedId);
        await w.Admin.PostAsJsonAsync($"/api/v1/tickets/{w.Ticket}/chat", new { body = "Fluxo retirado" }, Ct);
        await w.Admin.PostAsJsonAsync($"/api/v1/tickets/{kept}/chat", new { body = "Ainda seu" }, Ct);
        Assert.Equal(kept, (await moved.Next("chat")).GetProperty("ticketId").GetInt64());
        await Task.Delay(300, Ct);
        Assert.Empty(moved.Received("chat"));
        Assert.Equal("Atendimento não encontrado.", await Refused(() => moved.Watch(w.Ticket)));

        // A portal user whose scope narrows to what they opened stops hearing a colleague's request; a colleague who keeps
        // the company scope still hears it.
        var (customerId, customerToken) = await PortalUser(w, w.Partner, seesCompany: true);
        var (_, colleagueToken) = await PortalUser(w, w.Partner, seesCompany: true);
        await using var customer = await LiveScreen.Open(App, customerToken);
        await using var colleague = await LiveScreen.Open(App, colleagueToken);
        await customer.Watch(second);
        await colleague.Watch(second);
        var user = await w.Admin.GetAsync($"/api/v1/users/{customerId}", Ct);
        var narrowed = await TicketSteps.Patch(w.Admin, $"/api/v1/users/{customerId}", new { seesCompanyRequests = false }, user.Headers.ETag!.Tag);
        Assert.Equal(HttpStatusCode.OK, narrowed.StatusCode);
        await w.Admin.PostAsJsonAsync($"/api/v1/tickets/{second}/chat", new { body = "Do colega" }, Ct);
        Assert.Equal("Do colega", (await colleague.Next("chat")).GetProperty("body").GetString());
        await Task.Delay(300, Ct);
        Assert.Empty(customer.Received("chat"));
        Assert.Equal(HubConnectionState.Connected, customer.Connection.State);
    }

    [Fact]
    public async Task Lists_hear_of_the_changes_they_may_see_and_the_bell_counts_live()
    {
        var w = await Build();
        var (agentId, agentToken) = await Agent(w, w.Workspace);
        var (_, outsiderToken) = await Agent(w, w.OtherWorkspace);
        var foreign = (await TicketSteps.Ticket(w.Admin, w.Pipeline, w.OtherPartner, null, "Do outro domínio"))["id"]!.GetValue<long>();
        await using var list = await LiveScreen.Open(App, agentToken);
        await list.Connection.InvokeAsync("WatchTickets", Ct);
        await using var outsider = await LiveScreen.Open(App, outsiderToken);

        var title = await TicketSteps.Patch(w.Admin, $"/api/v1/tickets/{foreign}", new { title = "Mudou lá" }, "*");
        Assert.Equal(HttpStatusCode.OK, title.StatusCode);
        var mine = await TicketSteps.Patch(w.Admin, $"/api/v1/tickets/{w.Ticket}", new { title = "Mudou aqui" }, "*");
        Assert.Equal(HttpStatusCode.OK, mine.StatusCode);
        var note = await list.Next("ticket");
        Assert.Equal(w.Ticket, note.GetProperty("ticketId").GetInt64());
        Assert.Equal("ticket.updated", note.GetProperty("type").GetString());
        Assert.Equal("Administradora Teste", note.GetProperty("actorName").GetString());
        Assert.Empty(list.Received("ticket"));

        // Notificar: the assignee's bell rings on their open screen.
        var assigned = (await TicketSteps.Ticket(w.Admin, w.Pipeline, w.Partner, null, "Para a agente", new { assigneeId = agentId }))["id"]!.GetValue<long>();
        Assert.Equal(assigned, (await list.Next("ticket")).GetProperty("ticketId").GetInt64());
        var notify = await w.Admin.PostAsync($"/api/v1/tickets/{assigned}/notify", null, Ct);
        Assert.True(notify.IsSuccessStatusCode, await notify.Content.ReadAsStringAsync(Ct));
        Assert.Contains("Novo atendimento", (await list.Next("notice")).GetProperty("text").GetString(), StringComparison.Ordinal);
        Assert.Empty(outsider.Received("notice"));
        Assert.Empty(outsider.Received("ticket"));
    }

    [Fact]
    public async Task Bad_messages_and_floods_get_a_message_and_leave_the_connection_working()
    {
        var w = await Build();
        var (_, agentToken) = await Agent(w, w.Workspace);
        await using var agent = await LiveScreen.Open(App, agentToken);
        await agent.Watch(w.Ticket);
        Assert.Equal("Escreva a mensagem.", await Refused(() => agent.Send(w.Ticket, "   ")));
        Assert.Contains("no máximo 4.000 caracteres", await Refused(() => agent.Send(w.Ticket, new string('é', 20_000))), StringComparison.Ordinal);
        await Assert.ThrowsAnyAsync<Exception>(() => agent.Connection.InvokeAsync<JsonElement>("Watch", "não é número", 0L, Ct));

        // 100 messages as fast as one client can: the pace takes a burst and refuses the rest by name; nothing is half-saved.
        var outcomes = await Task.WhenAll(Enumerable.Range(0, 100).Select(async i =>
        {
            try
            {
                return (await agent.Send(w.Ticket, $"Rajada {i}")).GetProperty("seq").GetInt64();
            }
            catch (HubException e) when (e.Message.Contains("HubException: Você está enviando mensagens rápido demais.", StringComparison.Ordinal))
            {
                return 0;
            }
        }));
        var saved = outcomes.Where(s => s > 0).OrderBy(s => s).ToArray();
        Assert.InRange(saved.Length, 10, 60);
        Assert.Contains(0, outcomes);
        Assert.Equal(Enumerable.Range(1, saved.Length).Select(i => (long)i), saved);
        Assert.Equal(HubConnectionState.Connected, agent.Connection.State);
        await Task.Delay(2_000, Ct);
        Assert.Equal(saved.Length + 1, (await agent.Send(w.Ticket, "Depois da rajada")).GetProperty("seq").GetInt64());
    }
}

/// <summary>
/// The chat's e-mail to a portal user who is away: one outbox e-mail five minutes ahead, grown by each message written before
/// it leaves, dropped when their screen receives the messages, and every message e-mailed once.
/// </summary>
public abstract class ChatEmailTests(AppFixture fixture)
{
    private TestApp App => fixture.App;
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_portal_user_who_is_away_gets_the_teams_messages_by_email_once_batched_after_five_minutes()
    {
        var admin = App.Api(fixture.AdminToken);
        await TicketSteps.Json(await admin.PutAsJsonAsync("/api/v1/settings/smtp", new { host = "127.0.0.1", port = 1, security = "None", fromName = "Suporte", fromAddress = "suporte@empresa.test" }, Ct), HttpStatusCode.OK);
        var workspace = await App.CreateWorkspace(fixture.AdminToken, TicketSteps.Unique("Filial E-mail"));
        var pipeline = (await TicketSteps.Pipeline(admin))["id"]!.GetValue<long>();
        var (partner, _) = await TicketSteps.Partner(admin, workspace, TicketSteps.Unique("Açougue"), "Rita");
        var ticket = (await TicketSteps.Ticket(admin, pipeline, partner, null, "Corte especial"))["id"]!.GetValue<long>();
        var email = $"rita-{Guid.NewGuid():N}@cliente.test";
        await TicketSteps.Json(await admin.PostAsJsonAsync("/api/v1/users",
            new { name = "Rita Cliente", email, role = "Portal", partnerId = partner, seesCompanyRequests = true, password = TestApp.Password }, Ct), HttpStatusCode.Created);
        var customerToken = await App.Token(email, TestApp.Password);
        // Another company's portal user never hears of it.
        var (otherPartner, _) = await TicketSteps.Partner(admin, workspace, TicketSteps.Unique("Outra"), "Caio");
        var stranger = $"caio-{Guid.NewGuid():N}@cliente.test";
        await TicketSteps.Json(await admin.PostAsJsonAsync("/api/v1/users",
            new { name = "Caio", email = stranger, role = "Portal", partnerId = otherPartner, seesCompanyRequests = true, password = TestApp.Password }, Ct), HttpStatusCode.Created);

        List<Atende.Core.Email.OutboxEmail> Emails()
        {
            using var scope = App.Services.CreateScope();
            var db = scope.ServiceProvider.GetRequiredService<Atende.Core.Data.AtendeDb>();
            return [.. db.OutboxEmails.AsNoTracking().Where(e => e.TicketId == ticket && (e.To == email || e.To == stranger)).OrderBy(e => e.Id)];
        }
        async Task Post(string body) =>
            await TicketSteps.Json(await admin.PostAsJsonAsync($"/api/v1/tickets/{ticket}/chat", new { body }, Ct), HttpStatusCode.Created);

        // Three messages while she is away: one e-mail, five minutes ahead, with the three (escaped) in order.
        await Post("Olá, Rita! <b>Já separamos</b> a carne.");
        await Post("Pode retirar amanhã.");
        await Post("Até mais!");
        var waiting = Assert.Single(Emails());
        Assert.Equal(email, waiting.To);
        Assert.Equal(Atende.Core.Queue.LeaseStatus.Pending, waiting.Status);
        Assert.InRange(waiting.NextAttemptAt - waiting.CreatedAt, TimeSpan.FromMinutes(4.9), TimeSpan.FromMinutes(5.1));
        Assert.Contains("novas mensagens no chat", waiting.Subject, StringComparison.Ordinal);
        Assert.Contains("&lt;b&gt;Já separamos&lt;/b&gt;", waiting.HtmlBody, StringComparison.Ordinal);
        Assert.True(waiting.HtmlBody!.IndexOf("Pode retirar", StringComparison.Ordinal) < waiting.HtmlBody.IndexOf("Até mais", StringComparison.Ordinal));
        Assert.Contains($"/portal/pedidos/{ticket}#chat", waiting.HtmlBody, StringComparison.Ordinal);

        // Her screen connects and receives them: no e-mail is left to send.
        await using (var customer = await LiveScreen.Open(App, customerToken))
        {
            var caughtUp = await customer.Watch(ticket);
            Assert.Equal(3, caughtUp.GetProperty("messages").GetArrayLength());
            await customer.Connection.InvokeAsync("Receipt", ticket, 3L, false, Ct);
        }
        Assert.Empty(Emails());

        // Away again: two more make a new e-mail with those two only; once it has gone out, the next message makes another.
        await Post("Esquecemos de avisar: fechamos às 18h.");
        await Post("Bom fim de semana!");
        var second = Assert.Single(Emails());
        Assert.DoesNotContain("Já separamos", second.HtmlBody, StringComparison.Ordinal);
        Assert.Contains("fechamos às 18h", second.HtmlBody, StringComparison.Ordinal);
        Assert.Contains("Bom fim de semana", second.HtmlBody, StringComparison.Ordinal);
        using (var scope = App.Services.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<Atende.Core.Data.AtendeDb>();
            await db.OutboxEmails.Where(e => e.Id == second.Id).ExecuteUpdateAsync(u => u.SetProperty(e => e.Status, Atende.Core.Queue.LeaseStatus.Sent), Ct);
        }
        await Post("Última coisa: traga a nota.");
        var emails = Emails();
        Assert.Equal(2, emails.Count);
        Assert.Contains("traga a nota", emails[1].HtmlBody, StringComparison.Ordinal);
        Assert.DoesNotContain("fechamos às 18h", emails[1].HtmlBody, StringComparison.Ordinal);
        // Her own messages are never e-mailed to her.
        using var portal = App.Api(customerToken);
        await TicketSteps.Json(await portal.PostAsJsonAsync($"/api/v1/tickets/{ticket}/chat", new { body = "Obrigada!" }, Ct), HttpStatusCode.Created);
        Assert.Equal(2, Emails().Count);
        Assert.DoesNotContain(Emails(), e => e.To == stranger);
    }
}

/// <summary>The chat without JavaScript: the Chat tab and the portal request page read the conversation and post through a plain form.</summary>
public abstract class ChatPageTests(AppFixture fixture)
{
    private TestApp App => fixture.App;
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Staff_and_customer_chat_through_the_plain_forms_and_a_refused_message_keeps_its_text()
    {
        var admin = App.Api(fixture.AdminToken);
        var workspace = await App.CreateWorkspace(fixture.AdminToken, TicketSteps.Unique("Filial Formulário"));
        var pipeline = (await TicketSteps.Pipeline(admin))["id"]!.GetValue<long>();
        var (partner, _) = await TicketSteps.Partner(admin, workspace, TicketSteps.Unique("Quitanda"), "Lia");
        var ticket = (await TicketSteps.Ticket(admin, pipeline, partner, null, "Caixas de frutas"))["id"]!.GetValue<long>();
        var email = $"lia-{Guid.NewGuid():N}@cliente.test";
        await TicketSteps.Json(await admin.PostAsJsonAsync("/api/v1/users",
            new { name = "Lia Cliente", email, role = "Portal", partnerId = partner, seesCompanyRequests = true, password = TestApp.Password }, Ct), HttpStatusCode.Created);

        using var staff = await App.LoggedIn();
        var chatTab = $"/tickets/{ticket}?tab=chat";
        Assert.Contains("Nenhuma mensagem ainda.", (await staff.GetPage(chatTab)).QuerySelector(".chat-empty")!.TextContent, StringComparison.Ordinal);
        var sent = await staff.SubmitForm(chatTab, "form.chat-form", new() { ["body"] = "Chegam amanhã <b>cedo</b>." });
        Assert.Equal(HttpStatusCode.Redirect, sent.StatusCode);
        Assert.Equal($"/tickets/{ticket}?tab=chat#chat", sent.Headers.Location!.OriginalString);
        var mine = (await staff.GetPage(chatTab)).QuerySelector(".chat-msg.mine")!;
        Assert.Equal("Chegam amanhã <b>cedo</b>.", mine.QuerySelector(".chat-body")!.TextContent);
        Assert.Contains("Enviada", mine.QuerySelector(".chat-mark")!.TextContent, StringComparison.Ordinal);

        using var customer = await App.LoggedIn(email);
        var request = $"/portal/pedidos/{ticket}";
        var theirs = (await customer.GetPage(request)).QuerySelector("#chat .chat-msg.theirs")!;
        Assert.Contains("Equipe", theirs.QuerySelector(".chat-meta")!.TextContent, StringComparison.Ordinal);
        var tooLong = new string('a', 4_001);
        var refused = await customer.SubmitForm(request, "form.chat-form", new() { ["body"] = tooLong });
        Assert.Equal(HttpStatusCode.Redirect, refused.StatusCode);
        var again = await customer.GetPage(request);
        Assert.Contains("no máximo 4.000 caracteres", again.QuerySelector(".flash")!.TextContent, StringComparison.Ordinal);
        Assert.Equal(tooLong, again.QuerySelector("form.chat-form textarea")!.TextContent);
        await customer.SubmitForm(request, "form.chat-form", new() { ["body"] = "Obrigada!" });
        Assert.Equal("Obrigada!", (await staff.GetPage(chatTab)).QuerySelector(".chat-msg.customer .chat-body")!.TextContent);
    }
}

public sealed class ChatPageTestsSqlite(SqliteFixture fixture) : ChatPageTests(fixture), IClassFixture<SqliteFixture>;

public sealed class ChatEmailTestsSqlite(SqliteFixture fixture) : ChatEmailTests(fixture), IClassFixture<SqliteFixture>;

public sealed class ChatEmailTestsPostgres(PostgresFixture fixture) : ChatEmailTests(fixture), IClassFixture<PostgresFixture>;

public sealed class LiveHubTestsSqlite(SqliteFixture fixture) : LiveHubTests(fixture), IClassFixture<SqliteFixture>;

public sealed class LiveHubTestsPostgres(PostgresFixture fixture) : LiveHubTests(fixture), IClassFixture<PostgresFixture>;
