using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Atende.Core.Data;
using Atende.Core.Events;
using Atende.Web.Tests.Infrastructure;
using Atende.Web.Tests.Tickets;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Atende.Web.Tests.Portal;

/// <summary>
/// The customer portal end to end, as its users and the staff use it: "Novo contato" through the page (with a file), the staff's
/// public reply and internal note, what each portal user sees (own or company scope, never another partner's, never internal
/// notes or their files) on the page, in the API and in downloads, messages back, reopening, and the bad inputs.
/// </summary>
public abstract class PortalTests(AppFixture fixture)
{
    private TestApp App => fixture.App;
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private sealed record World(HttpClient Admin, long PipelineId, long PartnerId, long CategoryId, long SubcategoryId, long OtherSubcategoryId,
        string OwnEmail, string CompanyEmail, string ForeignEmail);

    private async Task<World> Setup()
    {
        var admin = App.Api(fixture.AdminToken);
        var workspace = await App.CreateWorkspace(fixture.AdminToken, TicketSteps.Unique("Filial Portal"));
        var pipeline = (await TicketSteps.Pipeline(admin, tags: ["Financeiro"]))["id"]!.GetValue<long>();
        var (mine, _) = await TicketSteps.Partner(admin, workspace, TicketSteps.Unique("Padaria Cliente"), "Ana");
        var (foreign, _) = await TicketSteps.Partner(admin, workspace, TicketSteps.Unique("Oficina Outra"), "Caio");
        var category = await TicketSteps.Json(await admin.PostAsJsonAsync("/api/v1/settings/categories", new { name = TicketSteps.Unique("Financeiro") }, Ct), HttpStatusCode.Created);
        var categoryId = category["id"]!.GetValue<long>();
        var sub = (await TicketSteps.Json(await admin.PostAsJsonAsync($"/api/v1/settings/categories/{categoryId}/subcategories", new { name = "Boleto" }, Ct), HttpStatusCode.Created))["id"]!.GetValue<long>();
        var other = await TicketSteps.Json(await admin.PostAsJsonAsync("/api/v1/settings/categories", new { name = TicketSteps.Unique("Técnico") }, Ct), HttpStatusCode.Created);
        var otherSub = (await TicketSteps.Json(await admin.PostAsJsonAsync($"/api/v1/settings/categories/{other["id"]}/subcategories", new { name = "Instalação" }, Ct), HttpStatusCode.Created))["id"]!.GetValue<long>();
        await TicketSteps.Json(await admin.PutAsJsonAsync("/api/v1/settings/portal", new { pipelineId = pipeline, form = "Subcategory", reopen = "Requester" }, Ct), HttpStatusCode.OK);
        await TicketSteps.Json(await admin.PutAsJsonAsync("/api/v1/settings/smtp", new { host = "127.0.0.1", port = 1, security = "None", fromName = "Suporte", fromAddress = "suporte@empresa.test" }, Ct), HttpStatusCode.OK);

        async Task<string> PortalUser(long partner, string name)
        {
            var email = $"portal-{Guid.NewGuid():N}@cliente.test";
            await TicketSteps.Json(await admin.PostAsJsonAsync("/api/v1/users",
                new { name, email, role = "Portal", partnerId = partner, password = TestApp.Password }, Ct), HttpStatusCode.Created);
            return email;
        }
        var own = await PortalUser(mine, "Ana Cliente");
        var company = await PortalUser(mine, "Beto Gerente");
        var foreignEmail = await PortalUser(foreign, "Caio Outro");
        using (var scope = App.Services.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<AtendeDb>();
            await db.Users.Where(u => u.Email == company).ExecuteUpdateAsync(s => s.SetProperty(u => u.SeesCompanyRequests, true), Ct);
        }
        return new World(admin, pipeline, mine, categoryId, sub, otherSub, own, company, foreignEmail);
    }

    /// <summary>Posts a page's form as multipart (fields and files) with its anti-forgery token, as a browser does.</summary>
    private static async Task<HttpResponseMessage> PostMultipart(HttpClient browser, string url, Dictionary<string, string> fields, params (string Name, string Content)[] files)
    {
        var page = await browser.GetPage(url);
        var token = page.QuerySelector("form.portal-form input[name=__RequestVerificationToken]")!.GetAttribute("value")!;
        var content = new MultipartFormDataContent { { new StringContent(token), "__RequestVerificationToken" } };
        foreach (var (name, value) in fields)
        {
            content.Add(new StringContent(value), name);
        }
        foreach (var (name, text) in files)
        {
            content.Add(new ByteArrayContent(Encoding.UTF8.GetBytes(text)), "files", name);
        }
        return await browser.PostAsync(url, content, Ct);
    }

    [Fact]
    public async Task A_request_opened_in_the_portal_reaches_the_staff_and_only_public_replies_reach_the_customer()
    {
        var w = await Setup();
        using var own = await App.LoggedIn(w.OwnEmail);

        // "/" takes a portal user to the portal; its menu is the portal's, never the staff's.
        var home = await own.GetAsync("/", Ct);
        Assert.Equal("/portal", home.Headers.Location!.OriginalString);
        var list = await own.GetPage("/portal/pedidos");
        Assert.Equal(["Novo contato", "Todos os contatos", "Em aberto", "Finalizados"],
            list.QuerySelectorAll(".portal-nav a").Select(a => a.TextContent.Trim()));
        Assert.Null(list.QuerySelector("a[href='/tickets']"));
        Assert.Contains("Você ainda não abriu nenhum pedido", list.QuerySelector("main")!.TextContent, StringComparison.Ordinal);

        // The form is pre-filled with the user's name and e-mail.
        var form = await own.GetPage("/portal/pedidos/novo");
        Assert.Equal("Ana Cliente", form.QuerySelector("#Input_ContactName")!.GetAttribute("value"));
        Assert.Equal(w.OwnEmail, form.QuerySelector("#Input_Email")!.GetAttribute("value"));
        var created = await PostMultipart(own, "/portal/pedidos/novo", new()
        {
            ["Input.CategoryId"] = w.CategoryId.ToString(), ["Input.SubcategoryId"] = w.SubcategoryId.ToString(), ["Input.ContactName"] = "Ana Cliente",
            ["Input.Phone"] = "(11) 98765-4321", ["Input.Email"] = w.OwnEmail,
            ["Input.Message"] = "Segunda via do boleto de novembro <script>alert(1)</script>\nObrigada!",
        }, ("boleto.txt", "linha digitável"));
        Assert.Equal(HttpStatusCode.Redirect, created.StatusCode);
        var location = created.Headers.Location!.OriginalString;
        var id = long.Parse(location.Split('/').Last());
        var page = await own.GetPage(location);
        Assert.Contains("Pedido", page.QuerySelector(".flash")!.TextContent, StringComparison.Ordinal);
        Assert.Equal("Aberto", page.QuerySelector("#request-status")!.TextContent.Trim());
        Assert.Contains("Segunda via do boleto de novembro", page.QuerySelector("h1")!.TextContent, StringComparison.Ordinal);
        Assert.Empty(page.QuerySelectorAll(".portal-message-body script"));
        Assert.Contains("<script>alert(1)</script>", page.QuerySelector(".portal-message-body")!.TextContent, StringComparison.Ordinal);
        var fileLink = page.QuerySelector(".portal-files a")!.GetAttribute("href")!;
        var download = await own.GetAsync(fileLink, Ct);
        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        Assert.Equal("linha digitável", await download.Content.ReadAsStringAsync(Ct));

        // The staff see a ticket of the portal's pipeline, requested by the partner, channel "Portal", the message public by Ana,
        // the contact details in the description; one portal.request_created event; the customer's confirmation e-mail.
        var ticket = await TicketSteps.Json(await w.Admin.GetAsync($"/api/v1/tickets/{id}", Ct), HttpStatusCode.OK);
        Assert.Equal(w.PipelineId, ticket["pipelineId"]!.GetValue<long>());
        Assert.Equal(w.PartnerId, ticket["partnerId"]!.GetValue<long>());
        Assert.Contains("(11) 98765-4321", ticket["description"]!.GetValue<string>(), StringComparison.Ordinal);
        var channels = await w.Admin.GetFromJsonAsync<JsonObject>("/api/v1/settings/channels", Ct);
        Assert.Equal("Portal", channels!["items"]!.AsArray().Single(c => c!["id"]!.GetValue<long>() == ticket["channelId"]!.GetValue<long>())!["name"]!.GetValue<string>());
        var timeline = await w.Admin.GetFromJsonAsync<JsonObject>($"/api/v1/tickets/{id}/interactions", Ct);
        var first = timeline!["items"]!.AsArray().Single()!;
        Assert.False(first["internal"]!.GetValue<bool>());
        using (var scope = App.Services.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<AtendeDb>();
            var ana = await db.Users.SingleAsync(u => u.Email == w.OwnEmail, Ct);
            Assert.Equal(ana.Id, first["authorId"]!.GetValue<long>());
            Assert.Equal(1, await db.Events.CountAsync(e => e.TicketId == id && e.Type == EventTypes.PortalRequestCreated, Ct));
            var confirmation = await db.OutboxEmails.SingleAsync(e => e.TicketId == id && e.To == w.OwnEmail, Ct);
            Assert.Contains(ticket["reference"]!.GetValue<string>(), confirmation.Subject, StringComparison.Ordinal);
        }

        // The staff reply in public and add an internal note with a file: the customer sees only the reply.
        await TicketSteps.Json(await w.Admin.PostAsJsonAsync($"/api/v1/tickets/{id}/interactions", new { body = "<p>Enviamos a segunda via.</p>", @internal = false }, Ct), HttpStatusCode.Created);
        using var internalFile = new MultipartFormDataContent
        {
            { new StringContent("<p>Cliente sempre atrasa, cobrar juros.</p>"), "body" }, { new StringContent("true"), "internal" },
            { new ByteArrayContent(Encoding.UTF8.GetBytes("segredo")), "files", "interno.txt" },
        };
        var note = await TicketSteps.Json(await w.Admin.PostAsync($"/api/v1/tickets/{id}/interactions", internalFile, Ct), HttpStatusCode.Created);
        var internalAttachment = note["attachments"]!.AsArray().Single()!["id"]!.GetValue<long>();
        page = await own.GetPage(location);
        var text = page.QuerySelector("main")!.TextContent;
        Assert.Contains("Enviamos a segunda via.", text, StringComparison.Ordinal);
        Assert.DoesNotContain("cobrar juros", text, StringComparison.Ordinal);
        Assert.DoesNotContain("interno.txt", text, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await own.GetAsync($"/portal/pedidos/{id}/arquivos/{internalAttachment}", Ct)).StatusCode);
        using var ownApi = App.Api(await App.Token(w.OwnEmail, TestApp.Password));
        var json = await TicketSteps.Json(await ownApi.GetAsync($"/api/v1/portal/requests/{id}", Ct), HttpStatusCode.OK);
        Assert.Equal(2, json["messages"]!.AsArray().Count);
        Assert.DoesNotContain("cobrar juros", json.ToJsonString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await ownApi.GetAsync($"/api/v1/portal/requests/{id}/files/{internalAttachment}", Ct)).StatusCode);

        // The ticket is assigned; the customer answers on the page; the staff see it on the ticket, public, by Ana, and the
        // assignee is told in the app and by the "Mensagem do portal" e-mail.
        var adminId = await Atende.Web.Tests.Conversations.ConversationData.UserId(w.Admin, TestApp.AdminEmail);
        var etag = (await w.Admin.GetAsync($"/api/v1/tickets/{id}", Ct)).Headers.ETag!.Tag;
        Assert.Equal(HttpStatusCode.OK, (await TicketSteps.Patch(w.Admin, $"/api/v1/tickets/{id}", new { assigneeId = adminId }, etag)).StatusCode);
        var empty = await own.SubmitForm(location, "form.portal-form", new() { ["Input.Message"] = "  " });
        Assert.Equal(HttpStatusCode.OK, empty.StatusCode);
        var refusedPage = await HtmlClient.Parse(empty);
        Assert.Contains("Escreva a mensagem", refusedPage.QuerySelector("#error-summary")!.TextContent, StringComparison.Ordinal);
        Assert.NotNull(refusedPage.QuerySelector("#Input_Message.input-validation-error"));
        var answered = await own.SubmitForm(location, "form.portal-form", new() { ["Input.Message"] = "Recebi, obrigada!" });
        Assert.Equal(HttpStatusCode.Redirect, answered.StatusCode);
        timeline = await w.Admin.GetFromJsonAsync<JsonObject>($"/api/v1/tickets/{id}/interactions?newestFirst=true", Ct);
        Assert.Contains(timeline!["items"]!.AsArray(), i => i!["body"]!.GetValue<string>().Contains("Recebi, obrigada!", StringComparison.Ordinal) && !i["internal"]!.GetValue<bool>());
        using (var scope = App.Services.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<AtendeDb>();
            Assert.True(await db.Notifications.AnyAsync(n => n.UserId == adminId && n.TicketId == id && n.Text.StartsWith("Nova mensagem pelo portal"), Ct));
            var toAssignee = await db.OutboxEmails.Where(e => e.TicketId == id && e.To == TestApp.AdminEmail).Select(e => e.TextBody).ToListAsync(Ct);
            Assert.Contains(toAssignee, body => (body ?? "").Contains("Recebi, obrigada!", StringComparison.Ordinal));
        }

        // Scope: the company-wide user sees it; another partner's user gets 404 on page, API and files; staff screens refuse portal users.
        using var companyApi = App.Api(await App.Token(w.CompanyEmail, TestApp.Password));
        var companyList = await TicketSteps.Json(await companyApi.GetAsync("/api/v1/portal/requests", Ct), HttpStatusCode.OK);
        Assert.Contains(companyList["items"]!.AsArray(), r => r!["id"]!.GetValue<long>() == id);
        using var foreign = await App.LoggedIn(w.ForeignEmail);
        Assert.Equal(HttpStatusCode.NotFound, (await foreign.GetAsync(location, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await foreign.GetAsync(fileLink, Ct)).StatusCode);
        using var foreignApi = App.Api(await App.Token(w.ForeignEmail, TestApp.Password));
        Assert.Equal(HttpStatusCode.NotFound, (await foreignApi.GetAsync($"/api/v1/portal/requests/{id}", Ct)).StatusCode);
        Assert.Empty((await TicketSteps.Json(await foreignApi.GetAsync("/api/v1/portal/requests", Ct), HttpStatusCode.OK))["items"]!.AsArray());
        Assert.Equal(HttpStatusCode.Forbidden, (await ownApi.GetAsync($"/api/v1/tickets/{id}", Ct)).StatusCode);
        var staffPage = await own.GetAsync($"/tickets/{id}", Ct);
        Assert.Contains("/acesso-negado", staffPage.Headers.Location!.OriginalString, StringComparison.Ordinal);
        // …and staff get no portal.
        Assert.Equal(HttpStatusCode.Forbidden, (await w.Admin.GetAsync("/api/v1/portal/requests", Ct)).StatusCode);
    }

    [Fact]
    public async Task A_finished_request_is_listed_as_finished_and_only_its_requester_reopens_it_with_a_message()
    {
        var w = await Setup();
        using var ownApi = App.Api(await App.Token(w.OwnEmail, TestApp.Password));
        var created = await TicketSteps.Json(await ownApi.PostAsJsonAsync("/api/v1/portal/requests", new
        {
            categoryId = w.CategoryId, subcategoryId = w.SubcategoryId, contactName = "Ana", phone = "11 3456-7890", email = w.OwnEmail,
            subject = "Troca de senha", message = "Não consigo entrar.",
        }, Ct), HttpStatusCode.Created);
        var id = created["id"]!.GetValue<long>();
        Assert.Equal(id, created["ticketId"]!.GetValue<long>());
        Assert.Equal("Troca de senha", created["subject"]!.GetValue<string>());
        await TicketSteps.Json(await w.Admin.PostAsJsonAsync($"/api/v1/tickets/{id}/status", new { status = "Done" }, Ct), HttpStatusCode.OK);

        async Task<long[]> Ids(HttpClient api, string state) =>
            (await TicketSteps.Json(await api.GetAsync($"/api/v1/portal/requests?state={state}", Ct), HttpStatusCode.OK))["items"]!.AsArray().Select(r => r!["id"]!.GetValue<long>()).ToArray();
        Assert.Contains(id, await Ids(ownApi, "finished"));
        Assert.DoesNotContain(id, await Ids(ownApi, "open"));
        using var browser = await App.LoggedIn(w.OwnEmail);
        Assert.Contains("Finalizado, Cancelado ou Rejeitado", (await browser.GetPage("/portal/pedidos?state=finished")).QuerySelector(".subtitle")!.TextContent, StringComparison.Ordinal);

        // Without "reopen" a message to a finished request is refused and says how; the company-wide user may not reopen (Requester rule).
        var refused = await TicketSteps.Problem(await ownApi.PostAsJsonAsync($"/api/v1/portal/requests/{id}/messages", new { message = "Voltou a falhar." }, Ct), HttpStatusCode.Conflict);
        Assert.Contains("Reabrir", refused["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        using var companyApi = App.Api(await App.Token(w.CompanyEmail, TestApp.Password));
        var companyView = await TicketSteps.Json(await companyApi.GetAsync($"/api/v1/portal/requests/{id}", Ct), HttpStatusCode.OK);
        Assert.False(companyView["canReopen"]!.GetValue<bool>());
        await TicketSteps.Problem(await companyApi.PostAsJsonAsync($"/api/v1/portal/requests/{id}/messages", new { message = "Eu também.", reopen = true }, Ct), HttpStatusCode.Conflict);

        var tag = (await TicketSteps.TagIds(w.Admin, w.PipelineId)).Single();
        var etag = (await w.Admin.GetAsync($"/api/v1/tickets/{id}", Ct)).Headers.ETag!.Tag;
        Assert.Equal(HttpStatusCode.OK, (await TicketSteps.Patch(w.Admin, $"/api/v1/tickets/{id}", new { tagIds = new[] { tag } }, etag)).StatusCode);
        var reopened = await TicketSteps.Json(await ownApi.PostAsJsonAsync($"/api/v1/portal/requests/{id}/messages", new { message = "Voltou a falhar.", reopen = true }, Ct), HttpStatusCode.Created);
        Assert.Equal("Reopened", reopened["status"]!.GetValue<string>());
        Assert.Equal("Reopened", (await TicketSteps.Json(await w.Admin.GetAsync($"/api/v1/tickets/{id}", Ct), HttpStatusCode.OK))["status"]!.GetValue<string>());
        // The reopening is the ticket's status change, raised with the ticket as its GET answers it (its tags included).
        using var scope = App.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<AtendeDb>();
        var changed = await db.Events.Where(e => e.TicketId == id && e.Type == EventTypes.TicketStatusChanged).OrderByDescending(e => e.Id).FirstAsync(Ct);
        var data = JsonNode.Parse(changed.Data)!;
        Assert.Equal("Reopened", data["status"]!.GetValue<string>());
        Assert.Equal([tag], data["tagIds"]!.AsArray().Select(t => t!.GetValue<long>()));
    }

    [Fact]
    public async Task The_crm_form_asks_an_active_channel_and_public_replies_reach_the_customer_by_email_but_internal_notes_never()
    {
        var w = await Setup();
        await TicketSteps.Json(await w.Admin.PutAsJsonAsync("/api/v1/settings/portal", new { pipelineId = w.PipelineId, form = "Channel", reopen = "Anyone" }, Ct), HttpStatusCode.OK);
        var whatsApp = TicketSteps.Unique("WhatsApp");
        var active = (await TicketSteps.Json(await w.Admin.PostAsJsonAsync("/api/v1/settings/channels", new { name = whatsApp }, Ct), HttpStatusCode.Created))["id"]!.GetValue<long>();
        var fax = TicketSteps.Unique("Fax");
        var inactive = (await TicketSteps.Json(await w.Admin.PostAsJsonAsync("/api/v1/settings/channels", new { name = fax, active = false }, Ct), HttpStatusCode.Created))["id"]!.GetValue<long>();
        const string contactEmail = "ana.contato@cliente.test";
        var contactId = (await TicketSteps.Json(await w.Admin.PostAsJsonAsync($"/api/v1/partners/{w.PartnerId}/contacts",
            new { name = "Ana Cliente", emails = new[] { contactEmail } }, Ct), HttpStatusCode.Created))["id"]!.GetValue<long>();
        using (var scope = App.Services.CreateScope())
        {
            await scope.ServiceProvider.GetRequiredService<AtendeDb>().Users.Where(u => u.Email == w.OwnEmail)
                .ExecuteUpdateAsync(s => s.SetProperty(u => u.ContactId, contactId), Ct);
        }

        // The form asks the channel (active ones only), not the subcategory.
        using var browser = await App.LoggedIn(w.OwnEmail);
        var form = await browser.GetPage("/portal/pedidos/novo");
        Assert.Null(form.QuerySelector("#Input_SubcategoryId"));
        var offered = form.QuerySelectorAll("#Input_ChannelId option").Select(o => o.TextContent.Trim()).ToList();
        Assert.Contains(whatsApp, offered);
        Assert.DoesNotContain(fax, offered);

        using var ownApi = App.Api(await App.Token(w.OwnEmail, TestApp.Password));
        object Body(long? channelId) => new { categoryId = w.CategoryId, channelId, contactName = "Ana", phone = "(11) 98765-4321", email = w.OwnEmail, message = "Pelo WhatsApp" };
        foreach (var channel in new long?[] { inactive, null })
        {
            var problem = await TicketSteps.Problem(await ownApi.PostAsJsonAsync("/api/v1/portal/requests", Body(channel), Ct), HttpStatusCode.BadRequest);
            Assert.True(problem["errors"]!.AsObject().ContainsKey("channelId"), problem.ToJsonString());
        }
        var id = (await TicketSteps.Json(await ownApi.PostAsJsonAsync("/api/v1/portal/requests", Body(active), Ct), HttpStatusCode.Created))["id"]!.GetValue<long>();
        var ticket = await TicketSteps.Json(await w.Admin.GetAsync($"/api/v1/tickets/{id}", Ct), HttpStatusCode.OK);
        Assert.Equal(active, ticket["channelId"]!.GetValue<long>());
        Assert.Null(ticket["subcategoryId"]);
        Assert.Equal(contactId, ticket["contactId"]!.GetValue<long>());
        Assert.Equal("Portal", ticket["origin"]!.GetValue<string>());

        // "Salvar e notificar" on a public reply e-mails the customer's contact; an internal note is never e-mailed.
        await TicketSteps.Json(await w.Admin.PostAsJsonAsync($"/api/v1/tickets/{id}/interactions", new { body = "<p>Respondemos pelo WhatsApp também.</p>", @internal = false, notify = true }, Ct), HttpStatusCode.Created);
        await TicketSteps.Json(await w.Admin.PostAsJsonAsync($"/api/v1/tickets/{id}/interactions", new { body = "<p>Nota só da equipe.</p>", @internal = true }, Ct), HttpStatusCode.Created);
        using (var scope = App.Services.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<AtendeDb>();
            var mails = await db.OutboxEmails.Where(e => e.TicketId == id).ToListAsync(Ct);
            var toContact = Assert.Single(mails, e => e.To == contactEmail);
            Assert.Contains("Respondemos pelo WhatsApp também.", toContact.TextBody, StringComparison.Ordinal);
            Assert.DoesNotContain(mails, e => (e.TextBody ?? "").Contains("Nota só da equipe", StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task Bad_requests_name_the_field_and_save_nothing()
    {
        var w = await Setup();
        using var ownApi = App.Api(await App.Token(w.OwnEmail, TestApp.Password));
        async Task<int> Count()
        {
            using var scope = App.Services.CreateScope();
            return await scope.ServiceProvider.GetRequiredService<AtendeDb>().Tickets.CountAsync(t => t.PartnerId == w.PartnerId, Ct);
        }
        var before = await Count();
        object Valid(object? categoryId = null, object? subcategoryId = null, string? message = null, string? phone = null) => new
        {
            categoryId = categoryId ?? w.CategoryId, subcategoryId = subcategoryId ?? w.SubcategoryId, contactName = "Ana", phone = phone ?? "(11) 98765-4321",
            email = w.OwnEmail, message = message ?? "Ajuda",
        };
        async Task Refused(object body, string field)
        {
            var problem = await TicketSteps.Problem(await ownApi.PostAsJsonAsync("/api/v1/portal/requests", body, Ct), HttpStatusCode.BadRequest);
            Assert.True(problem["errors"]!.AsObject().ContainsKey(field), $"{field} not named in {problem.ToJsonString()}");
        }
        await Refused(new { subcategoryId = w.SubcategoryId, contactName = "Ana", phone = "11987654321", email = w.OwnEmail, message = "x" }, "categoryId");
        await Refused(Valid(subcategoryId: w.OtherSubcategoryId), "subcategoryId");
        await Refused(Valid(message: new string('a', 10_001)), "message");
        await Refused(Valid(phone: "123"), "phone");
        await Refused(Valid(message: " "), "message");

        using var many = new MultipartFormDataContent();
        foreach (var (key, value) in new Dictionary<string, string>
                 {
                     ["categoryId"] = w.CategoryId.ToString(), ["subcategoryId"] = w.SubcategoryId.ToString(), ["contactName"] = "Ana", ["phone"] = "(11) 98765-4321",
                     ["email"] = w.OwnEmail, ["message"] = "Vinte arquivos",
                 })
        {
            many.Add(new StringContent(value), key);
        }
        for (var i = 0; i < 20; i++)
        {
            many.Add(new ByteArrayContent("x"u8.ToArray()), "files", $"f{i}.txt");
        }
        var problem = await TicketSteps.Problem(await ownApi.PostAsync("/api/v1/portal/requests", many, Ct), HttpStatusCode.BadRequest);
        Assert.True(problem["errors"]!.AsObject().ContainsKey("files"));

        // The page keeps what was typed and names the field.
        using var browser = await App.LoggedIn(w.OwnEmail);
        var response = await browser.SubmitForm("/portal/pedidos/novo", "form.portal-form", new() { ["Input.Message"] = "Texto que não pode se perder", ["Input.Phone"] = "abc" });
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync(Ct));
        var page = await HtmlClient.Parse(response);
        Assert.Equal("Texto que não pode se perder", page.QuerySelector("#Input_Message")!.TextContent);
        Assert.Contains("Telefone inválido", page.QuerySelector("#error-summary")!.TextContent, StringComparison.Ordinal);
        Assert.Equal(before, await Count());

        // Another partner's or an unknown request: 404.
        Assert.Equal(HttpStatusCode.NotFound, (await ownApi.GetAsync("/api/v1/portal/requests/999999999", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await ownApi.GetAsync("/api/v1/portal/requests?after=%%%", Ct)).StatusCode);
    }
}

public sealed class PortalTestsSqlite(SqliteFixture fixture) : PortalTests(fixture), IClassFixture<SqliteFixture>;

public sealed class PortalTestsPostgres(PostgresFixture fixture) : PortalTests(fixture), IClassFixture<PostgresFixture>;
