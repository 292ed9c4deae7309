using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Atende.Web.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using static Atende.Web.Tests.Conversations.ConversationData;

namespace Atende.Web.Tests.Conversations;

public abstract class ConversationApiTests(AppFixture fixture)
{
    private TestApp App => fixture.App;

    private async Task<(HttpClient Api, long WorkspaceId)> AdminWithWorkspace()
    {
        var api = App.Api(fixture.AdminToken);
        return (api, await App.CreateWorkspace(fixture.AdminToken, Unique("Domínio Conversas")));
    }

    [Fact]
    public async Task Saved_conversation_stays_editable_and_concluded_one_refuses_every_change_with_409()
    {
        var (api, ws) = await AdminWithWorkspace();
        var partner = await Partner(api, ws, Unique("Padaria Pão de Mel"));
        var before = DateTimeOffset.UtcNow.AddSeconds(-5);
        var created = await Conversation(api, partner);
        Assert.Equal(await UserId(api, TestApp.AdminEmail), created["sellerId"]!.GetValue<long>());
        var at = created["at"]!.GetValue<DateTimeOffset>();
        Assert.InRange(at, before, DateTimeOffset.UtcNow.AddSeconds(5));
        Assert.False(created["concluded"]!.GetValue<bool>());
        Assert.Equal(ws, created["workspaceId"]!.GetValue<long>());
        var id = created["id"]!.GetValue<long>();

        Assert.Equal(HttpStatusCode.PreconditionRequired, (await Patch(api, id, new { subject = "Sem versão" }, null)).StatusCode);
        Assert.Equal(HttpStatusCode.PreconditionFailed, (await Patch(api, id, new { subject = "Versão velha" }, 7)).StatusCode);
        var edited = await Json(await Patch(api, id, new { subject = "  Proposta   revisada " }, 1), HttpStatusCode.OK);
        Assert.Equal("Proposta revisada", edited["subject"]!.GetValue<string>());
        Assert.Equal(2, edited["version"]!.GetValue<int>());

        var concluded = await Json(await Patch(api, id, new { concluded = true, description = "Fechou o pedido." }, 2), HttpStatusCode.OK);
        Assert.True(concluded["concluded"]!.GetValue<bool>());
        Assert.NotNull(concluded["concludedAt"]!.GetValue<DateTimeOffset?>());
        Assert.Equal("Fechou o pedido.", concluded["description"]!.GetValue<string>());

        var get = await api.GetAsync($"/api/v1/conversations/{id}", Ct);
        Assert.Equal("\"3\"", get.Headers.ETag!.Tag);
        foreach (var change in new object[] { new { subject = "Depois de concluída" }, new { at = "2030-01-01T10:00:00-03:00" }, new { concluded = false }, new { } })
        {
            var refused = await Json(await Patch(api, id, change, 3), HttpStatusCode.Conflict);
            Assert.Equal("Esta conversa foi concluída e não pode mais ser alterada.", refused["detail"]!.GetValue<string>());
        }
        Assert.Equal(HttpStatusCode.Conflict, (await Patch(api, id, new { subject = "Sem If-Match" }, null)).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await api.DeleteAsync($"/api/v1/conversations/{id}", Ct)).StatusCode);
        var after = await Json(await api.GetAsync($"/api/v1/conversations/{id}", Ct), HttpStatusCode.OK);
        Assert.Equal("Proposta revisada", after["subject"]!.GetValue<string>());
        Assert.Equal(3, after["version"]!.GetValue<int>());

        // Concluded from the start ("Concluir e salvar" on a new one).
        var direct = await Conversation(api, partner, concluded: true);
        Assert.True(direct["concluded"]!.GetValue<bool>());
        Assert.Equal(HttpStatusCode.Conflict, (await Patch(api, direct["id"]!.GetValue<long>(), new { subject = "X" }, 1)).StatusCode);

        // POST /conclude concludes as it is; it needs the version too.
        var third = await Conversation(api, partner);
        var thirdId = third["id"]!.GetValue<long>();
        Assert.Equal(HttpStatusCode.PreconditionRequired, (await api.PostAsync($"/api/v1/conversations/{thirdId}/conclude", null, Ct)).StatusCode);
        using (var conclude = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/conversations/{thirdId}/conclude"))
        {
            conclude.Headers.TryAddWithoutValidation("If-Match", "\"1\"");
            var done = await Json(await api.SendAsync(conclude, Ct), HttpStatusCode.OK);
            Assert.True(done["concluded"]!.GetValue<bool>());
        }
        Assert.Equal(HttpStatusCode.Conflict, (await api.PostAsync($"/api/v1/conversations/{thirdId}/conclude", null, Ct)).StatusCode);

        // A pending one may be deleted.
        var pending = await Conversation(api, partner);
        Assert.Equal(HttpStatusCode.NoContent, (await api.DeleteAsync($"/api/v1/conversations/{pending["id"]}", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await api.GetAsync($"/api/v1/conversations/{pending["id"]}", Ct)).StatusCode);
    }

    [Fact]
    public async Task Validation_names_each_field_in_pt_BR_and_saves_nothing()
    {
        var (api, ws) = await AdminWithWorkspace();
        var empty = await Json(await api.PostAsJsonAsync("/api/v1/conversations", new { subject = "   " }, Ct), HttpStatusCode.BadRequest);
        var errors = empty["errors"]!.AsObject();
        Assert.Equal("Entidade é obrigatória.", errors["partnerId"]![0]!.GetValue<string>());
        Assert.Equal("Canal de comunicação é obrigatório.", errors["channelId"]![0]!.GetValue<string>());
        Assert.Equal("Tipo de oportunidade é obrigatório.", errors["opportunityTypeId"]![0]!.GetValue<string>());
        Assert.Equal("Assunto é obrigatório.", errors["subject"]![0]!.GetValue<string>());
        Assert.Equal("Descrição é obrigatória.", errors["description"]![0]!.GetValue<string>());

        var partner = await Partner(api, ws, Unique("Mercearia Validada"));
        var bad = await Json(await api.PostAsJsonAsync("/api/v1/conversations", new
        {
            partnerId = partner, channelId = 999_999, opportunityTypeId = 999_999, subject = new string('a', 201), description = "ok", ticketId = 999_999, sellerId = 999_999,
        }, Ct), HttpStatusCode.BadRequest);
        var badErrors = bad["errors"]!.AsObject();
        Assert.Equal("Canal de comunicação inexistente ou desativado.", badErrors["channelId"]![0]!.GetValue<string>());
        Assert.Equal("Tipo de oportunidade inexistente ou desativado.", badErrors["opportunityTypeId"]![0]!.GetValue<string>());
        Assert.Equal("Assunto pode ter no máximo 200 caracteres.", badErrors["subject"]![0]!.GetValue<string>());
        Assert.Equal("Atendimento inexistente ou sem acesso para você.", badErrors["ticketId"]![0]!.GetValue<string>());
        Assert.Equal("Vendedor deve ser um usuário ativo da equipe.", badErrors["sellerId"]![0]!.GetValue<string>());

        var badDate = await Json(await api.PostAsJsonAsync("/api/v1/conversations", new { partnerId = partner, channelId = 1, opportunityTypeId = 1, subject = "S", description = "D", at = "amanhã cedo" }, Ct), HttpStatusCode.BadRequest);
        Assert.StartsWith("Data e hora inválidas", badDate["errors"]!["at"]![0]!.GetValue<string>(), StringComparison.Ordinal);
        var unknown = await Json(await api.PostAsJsonAsync("/api/v1/conversations", new { partnerId = partner, channelId = 1, opportunityTypeId = 1, subject = "S", description = "D", color = "red" }, Ct), HttpStatusCode.BadRequest);
        Assert.Contains("color", unknown["errors"]!.AsObject().Select(e => e.Key));

        // A seller who cannot see the partner's workspace.
        var other = await App.CreateWorkspace(fixture.AdminToken, Unique("Outro Domínio"));
        var email = $"vendedor-{Guid.NewGuid():N}@test.com.br";
        var (sellerId, _) = await App.CreateUser(fixture.AdminToken, email, "Agent", other);
        var noAccess = await Json(await api.PostAsJsonAsync("/api/v1/conversations", new { partnerId = partner, channelId = 1, opportunityTypeId = 1, subject = "S", description = "D", sellerId }, Ct), HttpStatusCode.BadRequest);
        Assert.Equal($"O vendedor Usuário {email} não tem acesso ao domínio desta entidade.", noAccess["errors"]!["sellerId"]![0]!.GetValue<string>());

        var list = await Json(await api.GetAsync($"/api/v1/conversations?partnerId={partner}", Ct), HttpStatusCode.OK);
        Assert.Empty(list["items"]!.AsArray());
    }

    [Fact]
    public async Task A_time_without_offset_is_the_company_wall_clock_and_the_feed_answers_in_it()
    {
        var (api, ws) = await AdminWithWorkspace();
        var partner = await Partner(api, ws, Unique("Relógio"));
        var local = await Conversation(api, partner, at: "2031-03-10T14:30");
        Assert.Equal(new DateTimeOffset(2031, 3, 10, 17, 30, 0, TimeSpan.Zero), local["at"]!.GetValue<DateTimeOffset>());
        var utc = await Conversation(api, partner, at: "2031-03-10T14:30:00Z");
        Assert.Equal(new DateTimeOffset(2031, 3, 10, 14, 30, 0, TimeSpan.Zero), utc["at"]!.GetValue<DateTimeOffset>());

        // FullCalendar asks with offset-less bounds (named time zone) and gets the company's offset back.
        var events = await Events(api, "2031-03-10T00:00:00", "2031-03-11T00:00:00", "&timeZone=America%2FSao_Paulo");
        var starts = events.Where(e => e!["extendedProps"]!["partnerId"]!.GetValue<long>() == partner).Select(e => e!["start"]!.GetValue<string>()).ToList();
        Assert.Equal(["2031-03-10T11:30:00-03:00", "2031-03-10T14:30:00-03:00"], starts);
        // The next day, given with offsets, holds neither.
        Assert.DoesNotContain(await Events(api, "2031-03-11T00:00:00-03:00", "2031-03-12T00:00:00-03:00"), e => e!["extendedProps"]!["partnerId"]!.GetValue<long>() == partner);

        var badRange = await Json(await api.GetAsync("/api/v1/agenda/events?start=2031-03-10&end=2031-03-01", Ct), HttpStatusCode.BadRequest);
        Assert.Equal("O fim do período deve ser depois do início.", badRange["errors"]!["end"]![0]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.BadRequest, (await api.GetAsync("/api/v1/agenda/events?start=2031-03-10", Ct)).StatusCode);
    }

    [Fact]
    public async Task Agenda_feed_filters_by_seller_channel_and_type_and_marks_done_events()
    {
        var (api, ws) = await AdminWithWorkspace();
        var channels = await Ids(api, "channels");
        var types = await Ids(api, "opportunity-types");
        var partner = await Partner(api, ws, Unique("Agenda Filtrada"));
        var email = $"agenda-{Guid.NewGuid():N}@test.com.br";
        var (seller, _) = await App.CreateUser(fixture.AdminToken, email, "Agent", ws);
        var admin = await UserId(api, TestApp.AdminEmail);

        var whatsapp = await Conversation(api, partner, at: "2032-05-04T09:00", channelId: channels["WhatsApp"], opportunityTypeId: types["Venda"], sellerId: seller);
        var phone = await Conversation(api, partner, at: "2032-05-04T10:00", channelId: channels["Telefone"], opportunityTypeId: types["Cobrança"], concluded: true);
        var outside = await Conversation(api, partner, at: "2032-05-11T10:00", channelId: channels["Telefone"], opportunityTypeId: types["Cobrança"]);

        async Task<List<long>> Ids2(string extra) => (await Events(api, "2032-05-01T00:00:00", "2032-05-08T00:00:00", extra))
            .Where(e => e!["extendedProps"]!["partnerId"]!.GetValue<long>() == partner).Select(e => e!["id"]!.GetValue<long>()).ToList();
        var week = await Ids2("");
        Assert.Equal([whatsapp["id"]!.GetValue<long>(), phone["id"]!.GetValue<long>()], week);
        Assert.DoesNotContain(outside["id"]!.GetValue<long>(), week);
        Assert.Equal([whatsapp["id"]!.GetValue<long>()], await Ids2($"&sellerId={seller}"));
        Assert.Equal([phone["id"]!.GetValue<long>()], await Ids2($"&sellerId={admin}"));
        Assert.Equal([phone["id"]!.GetValue<long>()], await Ids2($"&channelId={channels["Telefone"]}"));
        Assert.Equal([whatsapp["id"]!.GetValue<long>()], await Ids2($"&opportunityTypeId={types["Venda"]}"));

        var events = await Events(api, "2032-05-04T00:00:00", "2032-05-05T00:00:00");
        var pending = events.Single(e => e!["id"]!.GetValue<long>() == whatsapp["id"]!.GetValue<long>())!;
        var done = events.Single(e => e!["id"]!.GetValue<long>() == phone["id"]!.GetValue<long>())!;
        Assert.True(pending["editable"]!.GetValue<bool>());
        Assert.False(done["editable"]!.GetValue<bool>());
        Assert.Equal("conv-pending", pending["classNames"]![0]!.GetValue<string>());
        Assert.Equal("conv-done", done["classNames"]![0]!.GetValue<string>());
        // Pending: the channel's color; done: a pale background with the channel's border.
        Assert.Null(pending["backgroundColor"]);
        Assert.Null(done["color"]);
        Assert.NotEqual(pending["color"]!.GetValue<string>(), done["backgroundColor"]!.GetValue<string>());
        Assert.NotEqual(done["backgroundColor"]!.GetValue<string>(), done["borderColor"]!.GetValue<string>());
        Assert.True(done["extendedProps"]!["concluded"]!.GetValue<bool>());
        Assert.EndsWith("Retorno da proposta", pending["title"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Partner_without_conversation_means_none_from_the_start_of_today_in_the_company_time_zone()
    {
        var api = App.Api(fixture.AdminToken);
        var company = (await api.GetFromJsonAsync<JsonObject>("/api/v1/settings/company", Ct))!;
        // Tokyo (UTC+9, no daylight saving): its midnight is never UTC's, so a UTC "today" would fail this test.
        var zone = TimeZoneInfo.FindSystemTimeZoneById("Asia/Tokyo");
        await api.PutAsJsonAsync("/api/v1/settings/company", new { name = company["name"]!.GetValue<string>(), email = (string?)null, timeZone = "Asia/Tokyo" }, Ct);
        try
        {
            var ws = await App.CreateWorkspace(fixture.AdminToken, Unique("Domínio Hoje"));
            var tag = "Hojecheck" + Guid.NewGuid().ToString("N")[..6];
            var localMidnight = TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, zone).Date;
            var todayStart = new DateTimeOffset(localMidnight, zone.GetUtcOffset(localMidnight));
            string Iso(DateTimeOffset d) => d.ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture);

            var yesterday = await Partner(api, ws, $"{tag} Ontem");
            var yesterdayConversation = await Conversation(api, yesterday, at: Iso(todayStart.AddMinutes(-1)), concluded: true);
            var today = await Partner(api, ws, $"{tag} Hoje");
            var todayConversation = await Conversation(api, today, at: Iso(todayStart));
            var later = await Partner(api, ws, $"{tag} Semana que vem");
            var laterConversation = await Conversation(api, later, at: Iso(todayStart.AddDays(7)));
            await Partner(api, ws, $"{tag} Nunca");
            await Partner(api, ws, $"{tag} Inativa", active: false);

            Assert.Equal([$"{tag} Nunca", $"{tag} Ontem"], await WithoutConversation(api, tag));
            // Offset-less times are read in the company's zone too.
            var localToday = await Partner(api, ws, $"{tag} Local");
            await Conversation(api, localToday, at: localMidnight.ToString("yyyy-MM-dd'T'HH:mm", CultureInfo.InvariantCulture));
            Assert.DoesNotContain($"{tag} Local", await WithoutConversation(api, tag));

            // Moving today's conversation to yesterday puts the partner back on the list (the date is recomputed).
            var moved = await Patch(api, todayConversation["id"]!.GetValue<long>(), new { at = Iso(todayStart.AddHours(-3)) }, 1);
            Assert.Equal(HttpStatusCode.OK, moved.StatusCode);
            Assert.Contains($"{tag} Hoje", await WithoutConversation(api, tag));

            // Giving next week's conversation to another partner moves the date with it.
            var reassigned = await Patch(api, laterConversation["id"]!.GetValue<long>(), new { partnerId = yesterday }, 1);
            Assert.Equal(HttpStatusCode.OK, reassigned.StatusCode);
            var names = await WithoutConversation(api, tag);
            Assert.Contains($"{tag} Semana que vem", names);
            Assert.DoesNotContain($"{tag} Ontem", names);

            // Deleting it (pending) leaves "Ontem" with only yesterday's conversation.
            Assert.Equal(HttpStatusCode.NoContent, (await api.DeleteAsync($"/api/v1/conversations/{laterConversation["id"]}", Ct)).StatusCode);
            Assert.Contains($"{tag} Ontem", await WithoutConversation(api, tag));
            var item = (await api.GetFromJsonAsync<JsonObject>($"/api/v1/agenda/partners-without-conversation?q={tag}%20ontem", Ct))!["items"]![0]!;
            Assert.Equal(yesterdayConversation["at"]!.GetValue<DateTimeOffset>(), item["lastConversationAt"]!.GetValue<DateTimeOffset>());
        }
        finally
        {
            await api.PutAsJsonAsync("/api/v1/settings/company", new { name = company["name"]!.GetValue<string>(), email = (string?)null, timeZone = "America/Sao_Paulo" }, Ct);
        }
    }

    [Fact]
    public async Task Without_conversation_list_pages_by_name_and_searches_without_accents()
    {
        var (api, ws) = await AdminWithWorkspace();
        var tag = "Paginada" + Guid.NewGuid().ToString("N")[..6];
        foreach (var name in new[] { "Ângela Doces", "Açougue Boi Gordo", "Bazar Conceição", "Casa do Pão" })
        {
            await Partner(api, ws, $"{name} {tag}");
        }
        var first = (await api.GetFromJsonAsync<JsonObject>($"/api/v1/agenda/partners-without-conversation?q={tag}&limit=3", Ct))!;
        Assert.Equal(["Açougue Boi Gordo", "Ângela Doces", "Bazar Conceição"], first["items"]!.AsArray().Select(i => i!["name"]!.GetValue<string>()[..^(tag.Length + 1)]));
        var next = first["next"]!.GetValue<string>();
        var second = (await api.GetFromJsonAsync<JsonObject>($"/api/v1/agenda/partners-without-conversation?q={tag}&limit=3&after={next}", Ct))!;
        Assert.Equal([$"Casa do Pão {tag}"], second["items"]!.AsArray().Select(i => i!["name"]!.GetValue<string>()));
        Assert.Null(second["next"]);
        Assert.Equal([$"Bazar Conceição {tag}"], await WithoutConversation(api, $"conceicao {tag}"));
        Assert.Equal(HttpStatusCode.BadRequest, (await api.GetAsync("/api/v1/agenda/partners-without-conversation?after=nao-e-cursor", Ct)).StatusCode);
    }

    [Fact]
    public async Task Another_workspace_conversation_is_404_everywhere_and_moves_with_its_partner()
    {
        var admin = App.Api(fixture.AdminToken);
        var mine = await App.CreateWorkspace(fixture.AdminToken, Unique("Domínio Meu"));
        var theirs = await App.CreateWorkspace(fixture.AdminToken, Unique("Domínio Deles"));
        var email = $"escopo-{Guid.NewGuid():N}@test.com.br";
        var (agentId, agentToken) = await App.CreateUser(fixture.AdminToken, email, "Agent", mine);
        var agent = App.Api(agentToken);
        var tag = "Escopo" + Guid.NewGuid().ToString("N")[..6];
        var hidden = await Partner(admin, theirs, $"{tag} Deles");
        var secret = await Conversation(admin, hidden, at: "2033-02-01T10:00", subject: "Assunto sigiloso");
        var id = secret["id"]!.GetValue<long>();
        var minePartner = await Partner(admin, mine, $"{tag} Meu");
        await Partner(admin, mine, $"{tag} Meu livre");
        await Partner(admin, theirs, $"{tag} Deles livre");
        var visible = await Conversation(agent, minePartner, at: "2033-02-01T11:00");
        Assert.Equal(agentId, visible["sellerId"]!.GetValue<long>());

        Assert.Equal(HttpStatusCode.NotFound, (await agent.GetAsync($"/api/v1/conversations/{id}", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Patch(agent, id, new { subject = "Invadido" }, 1)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await agent.DeleteAsync($"/api/v1/conversations/{id}", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await agent.GetAsync($"/api/v1/conversations?partnerId={hidden}", Ct)).StatusCode);
        var list = (await agent.GetFromJsonAsync<JsonObject>("/api/v1/conversations?limit=200", Ct))!["items"]!.AsArray();
        Assert.DoesNotContain(list, c => c!["id"]!.GetValue<long>() == id);
        Assert.Contains(list, c => c!["id"]!.GetValue<long>() == visible["id"]!.GetValue<long>());
        var feed = await Events(agent, "2033-02-01T00:00:00", "2033-02-02T00:00:00");
        Assert.Equal([visible["id"]!.GetValue<long>()], feed.Select(e => e!["id"]!.GetValue<long>()));
        Assert.Equal([$"{tag} Meu livre"], await WithoutConversation(agent, tag));
        Assert.Equal([$"{tag} Deles livre", $"{tag} Meu livre"], await WithoutConversation(admin, tag));
        var refused = await Json(await agent.PostAsJsonAsync("/api/v1/conversations", new { partnerId = hidden, channelId = 1, opportunityTypeId = 1, subject = "S", description = "D" }, Ct), HttpStatusCode.BadRequest);
        Assert.Equal("Entidade inexistente ou sem acesso para você.", refused["errors"]!["partnerId"]![0]!.GetValue<string>());
        var moveAway = await Json(await Patch(agent, visible["id"]!.GetValue<long>(), new { partnerId = hidden }, 1), HttpStatusCode.BadRequest);
        Assert.Contains("partnerId", moveAway["errors"]!.AsObject().Select(e => e.Key));

        // Pages answer 404 too.
        using var browser = await App.LoggedIn(email, TestApp.Password);
        Assert.Equal(HttpStatusCode.NotFound, (await browser.GetAsync($"/conversations/{id}", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await browser.GetAsync($"/conversations/new?partnerId={hidden}", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await browser.GetAsync($"/partners/{hidden}?tab=conversas", Ct)).StatusCode);
        var agenda = await browser.GetPage("/agenda?pq=" + tag);
        var sideList = agenda.QuerySelector("#partners-to-call")!.TextContent;
        Assert.Contains($"{tag} Meu livre", sideList, StringComparison.Ordinal);
        Assert.DoesNotContain($"{tag} Deles", sideList, StringComparison.Ordinal);

        // The partner moves to the agent's workspace: its conversations follow it.
        var partner = await admin.GetAsync($"/api/v1/partners/{hidden}", Ct);
        var move = new HttpRequestMessage(HttpMethod.Patch, $"/api/v1/partners/{hidden}") { Content = JsonContent.Create(new { workspaceId = mine, name = $"{tag} Renomeada" }) };
        move.Headers.TryAddWithoutValidation("If-Match", partner.Headers.ETag!.Tag);
        Assert.Equal(HttpStatusCode.OK, (await admin.SendAsync(move, Ct)).StatusCode);
        var now = await Json(await agent.GetAsync($"/api/v1/conversations/{id}", Ct), HttpStatusCode.OK);
        Assert.Equal(mine, now["workspaceId"]!.GetValue<long>());
        var moved = await Events(agent, "2033-02-01T00:00:00", "2033-02-02T00:00:00");
        Assert.Equal(2, moved.Count);
        // The agenda shows the partner's new name (kept on its conversations).
        Assert.Equal($"{tag} Renomeada · Assunto sigiloso", moved.Single(e => e!["id"]!.GetValue<long>() == id)!["title"]!.GetValue<string>());
        var listed = (await agent.GetFromJsonAsync<JsonObject>($"/api/v1/conversations?partnerId={hidden}", Ct))!["items"]![0]!;
        Assert.Equal($"{tag} Renomeada", listed["partnerName"]!.GetValue<string>());
    }

    [Fact]
    public async Task List_is_newest_first_by_keyset_and_a_ticket_of_the_partner_can_be_linked()
    {
        var (api, ws) = await AdminWithWorkspace();
        var partner = await Partner(api, ws, Unique("Lista Ordenada"));
        var oldest = await Conversation(api, partner, at: "2029-01-01T09:00", subject: "Primeira");
        var middle = await Conversation(api, partner, at: "2029-02-01T09:00", subject: "Segunda");
        var newest = await Conversation(api, partner, at: "2029-03-01T09:00", subject: "Terceira");
        var page1 = await Json(await api.GetAsync($"/api/v1/conversations?partnerId={partner}&limit=2", Ct), HttpStatusCode.OK);
        Assert.Equal(["Terceira", "Segunda"], page1["items"]!.AsArray().Select(i => i!["subject"]!.GetValue<string>()));
        var page2 = await Json(await api.GetAsync($"/api/v1/conversations?partnerId={partner}&limit=2&after={page1["next"]}", Ct), HttpStatusCode.OK);
        Assert.Equal(["Primeira"], page2["items"]!.AsArray().Select(i => i!["subject"]!.GetValue<string>()));
        Assert.Null(page2["next"]);
        var ranged = await Json(await api.GetAsync($"/api/v1/conversations?partnerId={partner}&from=2029-01-15&to=2029-02-15", Ct), HttpStatusCode.OK);
        Assert.Equal([middle["id"]!.GetValue<long>()], ranged["items"]!.AsArray().Select(i => i!["id"]!.GetValue<long>()));
        Assert.NotEqual(oldest["id"], newest["id"]);

        // Tickets come from the ticket feature; insert one the way it stores them and link it.
        using var scope = App.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<Atende.Core.Data.AtendeDb>();
        var pipeline = db.Pipelines.First();
        var adminId = await UserId(api, TestApp.AdminEmail);
        var now = DateTimeOffset.UtcNow;
        var ticket = new Atende.Core.Tickets.Ticket
        {
            PipelineId = pipeline.Id, WorkspaceId = ws, Reference = "ATD-" + Random.Shared.Next(100_000, 999_999), Number = 1, Title = "Troca de senha",
            PartnerId = partner, CreatedAt = now, CreatedById = adminId, UpdatedAt = now, RequesterName = "X", Version = 1,
        };
        db.Tickets.Add(ticket);
        await db.SaveChangesAsync(Ct);
        var linked = await Json(await Patch(api, newest["id"]!.GetValue<long>(), new { ticketId = ticket.Id }, 1), HttpStatusCode.OK);
        Assert.Equal(ticket.Id, linked["ticketId"]!.GetValue<long>());
        var listed = await Json(await api.GetAsync($"/api/v1/conversations?partnerId={partner}&limit=1", Ct), HttpStatusCode.OK);
        Assert.Equal(ticket.Reference, listed["items"]![0]!["ticketReference"]!.GetValue<string>());
        var otherPartner = await Partner(api, ws, Unique("Outra"));
        var wrong = await Json(await api.PostAsJsonAsync("/api/v1/conversations", new { partnerId = otherPartner, channelId = 1, opportunityTypeId = 1, subject = "S", description = "D", ticketId = ticket.Id }, Ct), HttpStatusCode.BadRequest);
        Assert.Equal($"O atendimento {ticket.Reference} é de outra entidade.", wrong["errors"]!["ticketId"]![0]!.GetValue<string>());
    }
}

public sealed class ConversationApiTestsSqlite(SqliteFixture fixture) : ConversationApiTests(fixture), IClassFixture<SqliteFixture>;

public sealed class ConversationApiTestsPostgres(PostgresFixture fixture) : ConversationApiTests(fixture), IClassFixture<PostgresFixture>;
