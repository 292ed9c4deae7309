using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Atende.Core.Data;
using Atende.Web.Tests.Infrastructure;
using Atende.Web.Tests.Tickets;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Atende.Web.Tests.Email;

/// <summary>An app that lets any Host header through (<c>AllowedHosts=*</c>, the shipped default).</summary>
public abstract class AnyHostFixture(string provider) : AppFixture(provider, new() { ["AllowedHosts"] = "*" });

public sealed class AnyHostSqliteFixture() : AnyHostFixture("Sqlite");

public sealed class AnyHostPostgresFixture() : AnyHostFixture("Postgres");

/// <summary>An app that lists its hosts in <c>AllowedHosts</c>.</summary>
public abstract class ListedHostFixture(string provider) : AppFixture(provider, new() { ["AllowedHosts"] = "atende.local;localhost" });

public sealed class ListedHostSqliteFixture() : ListedHostFixture("Sqlite");

public sealed class ListedHostPostgresFixture() : ListedHostFixture("Postgres");

/// <summary>
/// Links in e-mails never point at a host taken from a forged Host header: the configured or saved address, a host listed in
/// <c>AllowedHosts</c>, or no link at all (the e-mail says how to find the ticket).
/// </summary>
public abstract class EmailLinkTests(AppFixture fixture)
{
    protected AppFixture Fixture => fixture;
    protected TestApp App => fixture.App;
    protected static CancellationToken Ct => TestContext.Current.CancellationToken;
    private const string Templates = "/api/v1/settings/email-templates";

    protected sealed record Sent(string Html, string Text, string Subject);

    /// <summary>A client of the admin's whose requests carry <c>Host: <paramref name="host"/></c>.</summary>
    protected HttpClient ApiAt(string host)
    {
        var api = App.Api(fixture.AdminToken);
        api.BaseAddress = new Uri($"http://{host}/");
        return api;
    }

    /// <summary>SMTP configured (a closed port: the rows stay in the outbox) and a ticket with a contact and an assignee.</summary>
    protected async Task<(long Id, string Reference)> Ticket(HttpClient api)
    {
        await TicketSteps.Json(await api.PutAsJsonAsync("/api/v1/settings/smtp", new
        {
            host = "127.0.0.1", port = 1, security = "None", userName = (string?)null, password = (string?)null,
            fromName = "Empresa de Teste", fromAddress = "atendimento@empresa.test",
        }, Ct), HttpStatusCode.OK);
        var workspaceId = await App.CreateWorkspace(fixture.AdminToken, TicketSteps.Unique("Domínio"));
        var (agentId, _) = await App.CreateUser(fixture.AdminToken, $"agente-{Guid.NewGuid():N}@empresa.test", "Agent", workspaceId);
        var pipeline = await TicketSteps.Pipeline(api, users: [agentId]);
        var partner = await TicketSteps.Json(await api.PostAsJsonAsync("/api/v1/partners", new { name = TicketSteps.Unique("Padaria"), workspaceId }, Ct), HttpStatusCode.Created);
        var contact = await TicketSteps.Json(await api.PostAsJsonAsync($"/api/v1/partners/{partner["id"]}/contacts",
            new { name = "Maria", emails = new[] { $"maria-{Guid.NewGuid():N}@cliente.test" } }, Ct), HttpStatusCode.Created);
        var ticket = await TicketSteps.Ticket(api, pipeline["id"]!.GetValue<long>(), partner["id"]!.GetValue<long>(), contact["id"]!.GetValue<long>(),
            "Segunda via", new { assigneeId = agentId });
        return (ticket["id"]!.GetValue<long>(), ticket["reference"]!.GetValue<string>());
    }

    /// <summary>Notificar and a status change (its template given a link, as an admin may), as written to the outbox.</summary>
    protected async Task<(Sent Notify, Sent Status)> Emails(HttpClient api, long ticketId, string status)
    {
        var notify = await TicketSteps.Json(await api.PostAsync($"/api/v1/tickets/{ticketId}/notify", null, Ct), HttpStatusCode.OK);
        var changed = await TicketSteps.Json(await api.PostAsJsonAsync($"/api/v1/tickets/{ticketId}/status", new { status }, Ct), HttpStatusCode.OK);
        return (await Outbox(notify), await Outbox(changed));
    }

    protected async Task<Sent> Outbox(JsonObject response)
    {
        var email = response["email"]!;
        Assert.Equal("queued", email["status"]!.GetValue<string>());
        using var scope = App.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<AtendeDb>();
        var id = email["outboxId"]!.GetValue<long>();
        var row = await db.OutboxEmails.AsNoTracking().SingleAsync(e => e.Id == id, Ct);
        return new Sent(row.HtmlBody ?? "", row.TextBody ?? "", row.Subject);
    }

    /// <summary>The status template with a link to the ticket while <paramref name="test"/> runs, then the standard text again.</summary>
    protected async Task WithLinkInStatusTemplate(Func<Task> test)
    {
        using var api = App.Api(fixture.AdminToken);
        var template = (await TicketSteps.Json(await api.GetAsync($"{Templates}?purpose=StatusChanged", Ct), HttpStatusCode.OK))["items"]![0]!.AsObject();
        var id = template["id"]!.GetValue<long>();
        var edited = await TicketSteps.Json(await TicketSteps.Patch(api, $"{Templates}/{id}",
            new { body = "<p>{{atendimento.referencia}} está {{atendimento.situacao}}.</p><p><a href=\"{{link}}\">Ver o atendimento</a></p>" },
            $"\"{template["version"]}\""), HttpStatusCode.OK);
        try
        {
            await test();
        }
        finally
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, $"{Templates}/{id}/restore-default");
            request.Headers.IfMatch.Add(new System.Net.Http.Headers.EntityTagHeaderValue($"\"{edited["version"]}\""));
            await TicketSteps.Json(await api.SendAsync(request, Ct), HttpStatusCode.OK);
        }
    }

    protected async Task SaveAddress(string? publicUrl)
    {
        using var api = App.Api(fixture.AdminToken);
        var company = (await api.GetFromJsonAsync<JsonObject>("/api/v1/settings/company", Ct))!;
        await TicketSteps.Json(await api.PutAsJsonAsync("/api/v1/settings/company", new
        {
            name = company["name"]!.GetValue<string>(), email = (string?)null, timeZone = company["timeZone"]!.GetValue<string>(), publicUrl,
        }, Ct), HttpStatusCode.OK);
    }
}

/// <summary><c>AllowedHosts=*</c>: the request's host is never a link's base.</summary>
public abstract class AnyHostEmailLinkTests(AppFixture fixture) : EmailLinkTests(fixture)
{
    [Fact]
    public async Task A_forged_host_never_reaches_an_email_and_the_saved_address_always_does()
    {
        using var evil = ApiAt("evil.example");
        await WithLinkInStatusTemplate(async () =>
        {
            var (id, reference) = await Ticket(evil);
            var (notify, status) = await Emails(evil, id, "Done");
            foreach (var sent in new[] { notify, status })
            {
                Assert.DoesNotContain("evil.example", sent.Html + sent.Text + sent.Subject, StringComparison.OrdinalIgnoreCase);
                Assert.DoesNotContain("/tickets/", sent.Html + sent.Text, StringComparison.Ordinal);
                // The e-mail still goes, saying how to find the ticket instead of linking to it.
                Assert.Contains($"Abra o Atende e procure o atendimento {reference}.", sent.Html, StringComparison.Ordinal);
                Assert.Contains($"Abra o Atende e procure o atendimento {reference}.", sent.Text, StringComparison.Ordinal);
            }

            await SaveAddress("https://atende.empresa.test");
            try
            {
                (id, _) = await Ticket(evil);
                (notify, status) = await Emails(evil, id, "Done");
                foreach (var sent in new[] { notify, status })
                {
                    Assert.DoesNotContain("evil.example", sent.Html + sent.Text, StringComparison.OrdinalIgnoreCase);
                    Assert.Contains($"href=\"https://atende.empresa.test/tickets/{id}\"", sent.Html, StringComparison.Ordinal);
                }
            }
            finally
            {
                await SaveAddress(null);
            }
        });
    }

    [Fact]
    public async Task Admins_are_asked_to_save_the_address_until_they_do_and_agents_never_are()
    {
        var agentEmail = $"agente-{Guid.NewGuid():N}@empresa.test";
        await App.CreateUser(Fixture.AdminToken, agentEmail, "Agent", await App.CreateWorkspace(Fixture.AdminToken, TicketSteps.Unique("Domínio")));
        using var admin = await App.LoggedIn();
        using var agent = await App.LoggedIn(agentEmail);
        try
        {
            var home = await admin.GetPage("/");
            var banner = home.QuerySelector(".address-banner");
            Assert.NotNull(banner);
            Assert.Contains("Salve o Endereço do Atende para os links dos e-mails", banner.TextContent, StringComparison.Ordinal);
            Assert.Equal("/settings/company#Input_PublicUrl", banner.QuerySelector("a.alert-link")!.GetAttribute("href"));
            Assert.NotNull(banner.QuerySelector("button.btn-close[data-dismiss-cookie]"));
            Assert.NotNull((await admin.GetPage("/tickets")).QuerySelector(".address-banner"));
            Assert.Null((await agent.GetPage("/")).QuerySelector(".address-banner"));

            // Dismissed: gone for the rest of the session.
            using var dismissed = new HttpRequestMessage(HttpMethod.Get, "/");
            dismissed.Headers.Add("Cookie", "atende-address-banner=1");
            Assert.Null((await HtmlClient.Parse(await admin.SendAsync(dismissed, Ct))).QuerySelector(".address-banner"));

            // The form suggests the address the admin is using; saving it confirms it.
            var company = await admin.GetPage("/settings/company");
            Assert.Equal("http://localhost", ((AngleSharp.Html.Dom.IHtmlInputElement)company.QuerySelector("#Input_PublicUrl")!).Value);
            Assert.Contains("Ainda não salvo", company.QuerySelector(".url-suggested")!.TextContent, StringComparison.Ordinal);
            Assert.Equal(HttpStatusCode.Redirect, (await admin.SubmitForm("/settings/company", "form.settings-form", [])).StatusCode);
            using var api = App.Api(Fixture.AdminToken);
            Assert.Equal("http://localhost", (await api.GetFromJsonAsync<JsonObject>("/api/v1/settings/company", Ct))!["publicUrl"]!.GetValue<string>());
            Assert.Null((await admin.GetPage("/")).QuerySelector(".address-banner"));
            Assert.Null((await admin.GetPage("/settings/company")).QuerySelector(".url-suggested"));
        }
        finally
        {
            await SaveAddress(null);
        }
    }
}

/// <summary><c>AllowedHosts</c> lists the hosts: a request's host may be a link's base.</summary>
public abstract class ListedHostEmailLinkTests(AppFixture fixture) : EmailLinkTests(fixture)
{
    [Fact]
    public async Task A_host_listed_in_AllowedHosts_is_the_base_of_the_links_and_others_are_refused()
    {
        using var listed = ApiAt("atende.local");
        await WithLinkInStatusTemplate(async () =>
        {
            var (id, _) = await Ticket(listed);
            var (notify, status) = await Emails(listed, id, "Done");
            Assert.Contains($"href=\"http://atende.local/tickets/{id}\"", notify.Html, StringComparison.Ordinal);
            Assert.Contains($"href=\"http://atende.local/tickets/{id}\"", status.Html, StringComparison.Ordinal);
        });

        using var evil = ApiAt("evil.example");
        using var refused = await evil.GetAsync("/api/v1/settings/company", Ct);
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
    }
}

public sealed class AnyHostEmailLinkTestsSqlite(AnyHostSqliteFixture f) : AnyHostEmailLinkTests(f), IClassFixture<AnyHostSqliteFixture>;

public sealed class AnyHostEmailLinkTestsPostgres(AnyHostPostgresFixture f) : AnyHostEmailLinkTests(f), IClassFixture<AnyHostPostgresFixture>;

public sealed class ListedHostEmailLinkTestsSqlite(ListedHostSqliteFixture f) : ListedHostEmailLinkTests(f), IClassFixture<ListedHostSqliteFixture>;

public sealed class ListedHostEmailLinkTestsPostgres(ListedHostPostgresFixture f) : ListedHostEmailLinkTests(f), IClassFixture<ListedHostPostgresFixture>;
