using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace Atende.Bench.Live;

/// <summary>One hub connection of the run: the screen of <see cref="Who"/> watching ticket number <see cref="Ticket"/>.</summary>
/// <param name="Slot">Its place among the ticket's watchers (0..watchers-1); slot 0 is the customer with --portal.</param>
public sealed record Screen(int Ticket, int Slot, long TicketId, string Token, string Who);

/// <summary>What the setup made: the tickets and, per ticket, its watchers' screens.</summary>
public sealed record LiveWorld(long[] TicketIds, Screen[][] Screens, int Agents, int PortalUsers);

/// <summary>
/// Everything through the API, as an integration would: the setup wizard (or the admin's sign-in when it was done), agents
/// granted the workspace and authorized on the pipeline, one partner and one ticket per ticket wanted, a portal user per
/// partner who sees the company's requests, and an API token per user.
/// </summary>
public static class Setup
{
    private const int Parallel = 4;

    public static async Task<LiveWorld> Build(HttpClient http, LiveOptions o)
    {
        var clock = Stopwatch.StartNew();
        var admin = await AdminToken(http, o);
        var api = new Api(http, admin);
        var workspaceId = (await api.Get("/api/v1/workspaces"))["items"]!.AsArray()[0]!["id"]!.GetValue<long>();
        var pipelines = (await api.Get("/api/v1/pipelines"))["items"]!.AsArray();
        var pipeline = pipelines.FirstOrDefault(p => p!["alias"]!.GetValue<string>() == "ATD") ?? pipelines[0]!;
        var pipelineId = pipeline!["id"]!.GetValue<long>();
        var run = Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(3));

        // Agents: granted the workspace, then authorized on the pipeline (both grants needed to see its tickets).
        var agentCount = o.StaffWatchers == 0 ? 0 : o.AgentCount;
        var agents = new (long Id, string Email)[agentCount];
        await System.Threading.Tasks.Parallel.ForEachAsync(Enumerable.Range(0, agentCount), new ParallelOptions { MaxDegreeOfParallelism = Parallel }, async (i, _) =>
        {
            var email = $"live-{run}-agente{i + 1:000}@bench.test";
            var user = await api.Post("/api/v1/users", new { name = $"Agente {i + 1}", email, role = "Agent", workspaceIds = new[] { workspaceId }, password = o.Password });
            agents[i] = (user["id"]!.GetValue<long>(), email);
        });
        if (agentCount > 0)
        {
            var current = await api.Get($"/api/v1/pipelines/{pipelineId}");
            var authorized = current["authorizedUserIds"]!.AsArray().Select(u => u!.GetValue<long>()).Concat(agents.Select(a => a.Id)).Distinct().ToArray();
            await api.Patch($"/api/v1/pipelines/{pipelineId}", new { authorizedUserIds = authorized });
        }

        // A partner, its ticket and (with --portal) its customer per ticket.
        var tickets = new long[o.Tickets];
        var customers = new (long Id, string Email)[o.Portal ? o.Tickets : 0];
        await System.Threading.Tasks.Parallel.ForEachAsync(Enumerable.Range(0, o.Tickets), new ParallelOptions { MaxDegreeOfParallelism = Parallel }, async (t, _) =>
        {
            var partner = await api.Post("/api/v1/partners", new { name = $"Cliente Ao Vivo {run} {t + 1:000}", workspaceId });
            var partnerId = partner["id"]!.GetValue<long>();
            var ticket = await api.Post("/api/v1/tickets", new { pipelineId, partnerId, title = $"Conversa ao vivo {t + 1}" });
            tickets[t] = ticket["id"]!.GetValue<long>();
            if (o.Portal)
            {
                var email = $"live-{run}-cliente{t + 1:000}@bench.test";
                var user = await api.Post("/api/v1/users", new { name = $"Cliente {t + 1}", email, role = "Portal", partnerId, seesCompanyRequests = true, password = o.Password });
                customers[t] = (user["id"]!.GetValue<long>(), email);
            }
        });

        // A token per user.
        var emails = agents.Select(a => a.Email).Concat(customers.Select(c => c.Email)).ToArray();
        var tokens = new string[emails.Length];
        await System.Threading.Tasks.Parallel.ForEachAsync(Enumerable.Range(0, emails.Length), new ParallelOptions { MaxDegreeOfParallelism = Parallel }, async (i, _) =>
            tokens[i] = await Token(http, emails[i], o.Password));

        // Staff screen k (0-based among the staff slots) of ticket t belongs to agent (t × staff slots + k) mod agents: with
        // the defaults every agent has 10 screens, each on a different ticket.
        var screens = new Screen[o.Tickets][];
        for (var t = 0; t < o.Tickets; t++)
        {
            screens[t] = new Screen[o.Watchers];
            for (var slot = 0; slot < o.Watchers; slot++)
            {
                if (o.Portal && slot == 0)
                {
                    screens[t][slot] = new Screen(t, slot, tickets[t], tokens[agentCount + t], $"cliente {t + 1}");
                }
                else
                {
                    var k = o.Portal ? slot - 1 : slot;
                    var agent = (t * o.StaffWatchers + k) % agentCount;
                    screens[t][slot] = new Screen(t, slot, tickets[t], tokens[agent], $"agente {agent + 1}");
                }
            }
        }
        Console.WriteLine($"Setup through the API in {clock.Elapsed.TotalSeconds:F1} s: {o.Tickets} tickets (pipeline {pipelineId}), {agentCount} agents, " +
            $"{customers.Length} portal users, {tokens.Length} tokens");
        return new LiveWorld(tickets, screens, agentCount, customers.Length);
    }

    /// <summary>The first admin's token from the setup wizard, or, when it was run already, a new token of that admin.</summary>
    private static async Task<string> AdminToken(HttpClient http, LiveOptions o)
    {
        using var response = await http.PostAsJsonAsync("/api/v1/setup",
            new { companyName = "Atende Bench Ao Vivo", adminName = "Bench Admin", adminEmail = o.AdminEmail, adminPassword = o.Password });
        if (response.StatusCode == HttpStatusCode.Created)
        {
            return (await response.Content.ReadFromJsonAsync<JsonObject>())!["token"]!.GetValue<string>();
        }
        if (response.StatusCode != HttpStatusCode.Conflict)
        {
            throw new InvalidOperationException($"POST /api/v1/setup answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        }
        return await Token(http, o.AdminEmail, o.Password);
    }

    private static async Task<string> Token(HttpClient http, string email, string password)
    {
        using var response = await http.PostAsJsonAsync("/api/v1/tokens", new { email, password, name = "bench live" });
        if (response.StatusCode != HttpStatusCode.Created)
        {
            throw new InvalidOperationException($"POST /api/v1/tokens for {email} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}" +
                (response.StatusCode == HttpStatusCode.TooManyRequests ? " (start the app with Atende__RateLimits__LoginPerMinute=100000, as bench/run-live.sh does)" : ""));
        }
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!["token"]!.GetValue<string>();
    }

    private sealed class Api(HttpClient http, string token)
    {
        public Task<JsonObject> Get(string path) => Send(new HttpRequestMessage(HttpMethod.Get, path), HttpStatusCode.OK);

        public Task<JsonObject> Post(string path, object body) =>
            Send(new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(body) }, HttpStatusCode.Created);

        public Task<JsonObject> Patch(string path, object body)
        {
            var request = new HttpRequestMessage(HttpMethod.Patch, path) { Content = JsonContent.Create(body) };
            request.Headers.IfMatch.Add(EntityTagHeaderValue.Any);
            return Send(request, HttpStatusCode.OK);
        }

        private async Task<JsonObject> Send(HttpRequestMessage request, HttpStatusCode expected)
        {
            using (request)
            {
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
                request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
                using var response = await http.SendAsync(request);
                var text = await response.Content.ReadAsStringAsync();
                if (response.StatusCode != expected)
                {
                    throw new InvalidOperationException($"{request.Method} {request.RequestUri} answered {(int)response.StatusCode}: {text}");
                }
                return JsonNode.Parse(text)!.AsObject();
            }
        }
    }
}
