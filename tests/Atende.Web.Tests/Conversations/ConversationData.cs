using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Atende.Web.Tests.Infrastructure;

namespace Atende.Web.Tests.Conversations;

/// <summary>Builds what conversation tests need through the API, as a client would.</summary>
internal static class ConversationData
{
    public static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static readonly TimeZoneInfo SaoPaulo = TimeZoneInfo.FindSystemTimeZoneById("America/Sao_Paulo");

    public static string Unique(string prefix) => $"{prefix} {Guid.NewGuid().ToString("N")[..6]}";

    /// <summary>Ids of the setup's channels and opportunity types, by name.</summary>
    public static async Task<Dictionary<string, long>> Ids(HttpClient api, string list)
    {
        var items = (await api.GetFromJsonAsync<JsonObject>($"/api/v1/settings/{list}", Ct))!["items"]!.AsArray();
        return items.ToDictionary(i => i!["name"]!.GetValue<string>(), i => i!["id"]!.GetValue<long>());
    }

    public static async Task<long> Partner(HttpClient api, long workspaceId, string name, bool active = true)
    {
        var response = await api.PostAsJsonAsync("/api/v1/partners", new { name, workspaceId, active }, Ct);
        return (await Json(response, HttpStatusCode.Created))["id"]!.GetValue<long>();
    }

    public static async Task<JsonObject> Conversation(HttpClient api, long partnerId, string? at = null, string subject = "Retorno da proposta",
        bool concluded = false, long? sellerId = null, long channelId = 1, long opportunityTypeId = 1)
    {
        var body = new JsonObject
        {
            ["partnerId"] = partnerId, ["channelId"] = channelId, ["opportunityTypeId"] = opportunityTypeId, ["subject"] = subject,
            ["description"] = "Cliente pediu para ligar de volta com a proposta revisada.", ["concluded"] = concluded,
        };
        if (at is not null)
        {
            body["at"] = at;
        }
        if (sellerId is not null)
        {
            body["sellerId"] = sellerId;
        }
        return await Json(await api.PostAsJsonAsync("/api/v1/conversations", body, Ct), HttpStatusCode.Created);
    }

    public static async Task<JsonObject> Json(HttpResponseMessage response, HttpStatusCode expected)
    {
        var body = await response.Content.ReadAsStringAsync(Ct);
        Assert.True(response.StatusCode == expected, $"expected {(int)expected}, got {(int)response.StatusCode}: {body}");
        return JsonNode.Parse(body)!.AsObject();
    }

    public static async Task<long> UserId(HttpClient adminApi, string email)
    {
        var users = (await adminApi.GetFromJsonAsync<JsonObject>("/api/v1/users?limit=200", Ct))!["items"]!.AsArray();
        return users.Single(u => u!["email"]!.GetValue<string>() == email)!["id"]!.GetValue<long>();
    }

    /// <summary>PATCH with If-Match.</summary>
    public static Task<HttpResponseMessage> Patch(HttpClient api, long id, object body, int? version)
    {
        var request = new HttpRequestMessage(HttpMethod.Patch, $"/api/v1/conversations/{id}") { Content = JsonContent.Create(body) };
        if (version is { } v)
        {
            request.Headers.TryAddWithoutValidation("If-Match", $"\"{v}\"");
        }
        return api.SendAsync(request, Ct);
    }

    /// <summary>Names in the "sem conversa" list for a search.</summary>
    public static async Task<List<string>> WithoutConversation(HttpClient api, string q)
    {
        var items = (await api.GetFromJsonAsync<JsonObject>($"/api/v1/agenda/partners-without-conversation?q={Uri.EscapeDataString(q)}&limit=200", Ct))!["items"]!.AsArray();
        return items.Select(i => i!["name"]!.GetValue<string>()).ToList();
    }

    /// <summary>The agenda feed for a range (wall-clock times of the company's zone).</summary>
    public static async Task<JsonArray> Events(HttpClient api, string start, string end, string extra = "")
    {
        var response = await api.GetAsync($"/api/v1/agenda/events?start={Uri.EscapeDataString(start)}&end={Uri.EscapeDataString(end)}{extra}", Ct);
        var body = await response.Content.ReadAsStringAsync(Ct);
        Assert.True(response.IsSuccessStatusCode, body);
        return JsonNode.Parse(body)!.AsArray();
    }

    /// <summary>Wall-clock "yyyy-MM-ddTHH:mm" of an instant in São Paulo.</summary>
    public static string Local(DateTimeOffset instant, TimeZoneInfo? zone = null) =>
        TimeZoneInfo.ConvertTime(instant, zone ?? SaoPaulo).ToString("yyyy-MM-dd'T'HH:mm", System.Globalization.CultureInfo.InvariantCulture);
}
