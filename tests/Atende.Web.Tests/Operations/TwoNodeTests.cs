using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Atende.Web.Tests.Email;
using Atende.Web.Tests.Infrastructure;
using Atende.Web.Tests.Tickets;
using Atende.Web.Tests.Webhooks;
using Npgsql;

namespace Atende.Web.Tests.Operations;

/// <summary>
/// Several nodes as docs/operations.md describes them: two app processes on one PostgreSQL database and one Redis, each with a
/// data folder of its own (no shared disk), so the only key ring they can share is the one in the database
/// (<c>Atende:DataProtection:Store</c>, Database by default on PostgreSQL). A sign-in cookie issued by node 1 opens a staff page
/// on node 2; an SMTP password saved through node 1 is decrypted by node 2 (it signs in to an SMTP server with it); an e-mail
/// queued once and webhook events raised on either node reach the real SMTP server and a real HTTP receiver exactly once while
/// both nodes dispatch.
/// </summary>
public sealed class TwoNodeTests
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(90);
    private const string SmtpPassword = "senha-do-smtp-em-dois-nós";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Two_nodes_share_the_key_ring_through_PostgreSQL_and_send_each_email_and_webhook_once()
    {
        var (smtpHost, smtpPort, _) = TestMailServer.Require();
        await using var redis = await PrivateRedis.Start();
        await using var data = await AppStore.Create("Postgres");
        await using var receiver = await WebhookReceiver.Start(Ct);
        var folders = new[] { data.NodeFolder("1"), data.NodeFolder("2") };

        Task<AppProcess> Start(int node) => AppProcess.Start(new Dictionary<string, string>(data.Settings)
        {
            ["Atende:DataPath"] = folders[node - 1],
            ["Atende:Database:Migrate"] = node == 1 ? "true" : "false",
            ["ConnectionStrings:Redis"] = redis.Configuration,
            ["Atende:Webhooks:AllowPrivateTargets"] = "true",
            // The password e-mail carries a link, so it needs the public address.
            ["Atende:PublicUrl"] = "https://atende.dois-nos.test",
            // Both nodes look at the queues often, so each row is contested by both dispatchers.
            ["Atende:Webhooks:PollSeconds"] = "0.2",
            ["Atende:Email:PollSeconds"] = "0.2",
        }, StartTimeout);

        // Node 1 creates the schema, the first key of the ring, the admin and the webhook; then node 2 starts.
        await using var node1 = await Start(1);
        using var anonymous1 = node1.Api();
        var token = (await TicketSteps.Json(await anonymous1.PostAsJsonAsync("/api/v1/setup", new
        {
            companyName = "Empresa em Dois Nós", adminName = "Administradora", adminEmail = TestApp.AdminEmail, adminPassword = TestApp.Password,
        }, Ct), HttpStatusCode.Created))["token"]!.GetValue<string>();
        using var admin1 = node1.Api(token);
        var (endpointId, secret) = await WebhookSteps.Register(admin1, receiver, "partner.created");
        await using var node2 = await Start(2);
        using var admin2 = node2.Api(token);

        // The ring is in the database, not in either node's folder.
        Assert.All(folders, f => Assert.False(Directory.Exists(Path.Combine(f, "keys")) && Directory.EnumerateFiles(Path.Combine(f, "keys")).Any(),
            $"key files in {f}: the nodes should keep their keys in the database"));
        Assert.True(await KeysInDatabase(data) > 0, "no row in DataProtectionKeys");

        // 1. Signed in through node 1's form; the cookie opens a staff page on node 2.
        var cookies = new CookieContainer();
        using (var browser1 = Browser(node1, cookies))
        {
            var signIn = await browser1.SubmitForm("/login", "form", new() { ["Input.Email"] = TestApp.AdminEmail, ["Input.Password"] = TestApp.Password });
            Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
        }
        var cookie = string.Join("; ", cookies.GetCookies(node1.BaseAddress).Select(c => $"{c.Name}={c.Value}"));
        Assert.Contains("atende.auth", cookie, StringComparison.Ordinal);
        using (var browser2 = Browser(node2, cookies: null))
        {
            var without = await browser2.GetAsync("/tickets", Ct);
            Assert.Equal(HttpStatusCode.Redirect, without.StatusCode);
            Assert.Contains("/login", without.Headers.Location!.OriginalString, StringComparison.Ordinal);

            using var request = new HttpRequestMessage(HttpMethod.Get, "/tickets");
            request.Headers.Add("Cookie", cookie);
            var with = await browser2.SendAsync(request, Ct);
            Assert.True(with.StatusCode == HttpStatusCode.OK,
                $"node 2 answered {(int)with.StatusCode} {with.Headers.Location} to node 1's sign-in cookie:\n{node2.Tail(20)}");
            Assert.DoesNotContain("Input.Password", await with.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        }

        // 2. An SMTP password saved through node 1 is decrypted by node 2: its test e-mail signs in with it.
        await using (var smtpWithLogin = new FakeSmtpServer((_, _) => null, auth: true))
        {
            await TicketSteps.Json(await admin1.PutAsJsonAsync("/api/v1/settings/smtp", new
            {
                host = "127.0.0.1", port = smtpWithLogin.Port, security = "None", userName = "envio", password = SmtpPassword,
                fromName = "Empresa em Dois Nós", fromAddress = "envio@dois-nos.test",
            }, Ct), HttpStatusCode.OK);
            var test = await TicketSteps.Json(await admin2.PostAsJsonAsync("/api/v1/settings/smtp/test", new { to = "teste@dois-nos.test" }, Ct), HttpStatusCode.OK);
            Assert.True(test["sent"]!.GetValue<bool>(), $"node 2's test e-mail: {test["message"]}\n{node2.Tail(20)}");
            Assert.Equal(("envio", SmtpPassword), Assert.Single(smtpWithLogin.Logins));
        }

        // 3. One e-mail queued once (a password reset asked through node 1), while both nodes dispatch: one copy arrives.
        await TicketSteps.Json(await admin1.PutAsJsonAsync("/api/v1/settings/smtp", new
        {
            host = smtpHost, port = smtpPort, security = "None", userName = "", clearPassword = true,
            fromName = "Empresa em Dois Nós", fromAddress = "envio@dois-nos.test",
        }, Ct), HttpStatusCode.OK);
        var workspace = (await TicketSteps.Json(await admin1.PostAsJsonAsync("/api/v1/workspaces", new { name = "Domínio" }, Ct), HttpStatusCode.Created))["id"]!.GetValue<long>();
        var agentEmail = $"dois-nos-{Guid.NewGuid():N}@empresa.test";
        await TicketSteps.Json(await admin1.PostAsJsonAsync("/api/v1/users", new
        {
            name = "Agente Dois Nós", email = agentEmail, role = "Agent", workspaceIds = new[] { workspace }, password = TestApp.Password,
        }, Ct), HttpStatusCode.Created);
        Assert.Equal(HttpStatusCode.Accepted, (await anonymous1.PostAsJsonAsync("/api/v1/account/forgot-password", new { email = agentEmail }, Ct)).StatusCode);

        // 4. Webhook events raised through each node.
        await TicketSteps.Json(await admin1.PostAsJsonAsync("/api/v1/partners", new { name = "Cliente pelo nó 1", workspaceId = workspace }, Ct), HttpStatusCode.Created);
        await TicketSteps.Json(await admin2.PostAsJsonAsync("/api/v1/partners", new { name = "Cliente pelo nó 2", workspaceId = workspace }, Ct), HttpStatusCode.Created);

        bool ToAgent(MimeKit.MimeMessage m) => m.To.Mailboxes.Any(a => a.Address.Equals(agentEmail, StringComparison.OrdinalIgnoreCase));
        // Every row settled (Sent), then a while for a second copy that should never come.
        await Settled(admin2, "/api/v1/outbox", rows => rows.Any(r => r["to"]!.ToString().Contains(agentEmail, StringComparison.OrdinalIgnoreCase)
            && r["status"]!.GetValue<string>() == "Sent"), node1, node2);
        Assert.NotEmpty(await TestMailServer.WaitFor(ToAgent));
        await receiver.WaitFor(2);
        await Settled(admin2, $"/api/v1/webhooks/{endpointId}/deliveries", rows => rows.Count == 2 && rows.All(r => r["status"]!.GetValue<string>() == "Sent"), node1, node2);
        await Task.Delay(TimeSpan.FromSeconds(3), Ct);

        var emails = await TestMailServer.WaitFor(ToAgent, count: 2, seconds: 0);
        Assert.True(emails.Count == 1, $"the password e-mail arrived {emails.Count} times");
        var requests = receiver.Requests;
        Assert.Equal(2, requests.Count);
        Assert.Equal(2, requests.Select(r => r.WebhookId()).Distinct().Count());
        // Signed with the endpoint's secret, which each node decrypted with the shared ring.
        Assert.All(requests, r => WebhookSteps.Verify(secret, r));
    }

    private static HttpClient Browser(AppProcess node, CookieContainer? cookies) =>
        new(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = cookies is not null, CookieContainer = cookies ?? new CookieContainer() })
        {
            BaseAddress = node.BaseAddress, Timeout = TimeSpan.FromSeconds(60),
        };

    private static async Task<long> KeysInDatabase(AppStore data)
    {
        await using var connection = new NpgsqlConnection(data.ConnectionString);
        await connection.OpenAsync(Ct);
        await using var command = new NpgsqlCommand("""SELECT count(*) FROM "DataProtectionKeys" """, connection);
        return (long)(await command.ExecuteScalarAsync(Ct))!;
    }

    /// <summary>Waits (30 s at most) until the list at <paramref name="url"/> satisfies <paramref name="done"/>.</summary>
    private static async Task Settled(HttpClient api, string url, Func<List<JsonObject>, bool> done, AppProcess node1, AppProcess node2)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var rows = (await TicketSteps.Json(await api.GetAsync(url, Ct), HttpStatusCode.OK))["items"]!.AsArray().Select(r => r!.AsObject()).ToList();
            if (done(rows))
            {
                return;
            }
            Assert.True(DateTime.UtcNow < deadline, $"{url} did not settle: {string.Join("\n", rows.Select(r => r.ToJsonString()))}\nnode 1:\n{node1.Tail(10)}\nnode 2:\n{node2.Tail(10)}");
            await Task.Delay(200, Ct);
        }
    }
}
