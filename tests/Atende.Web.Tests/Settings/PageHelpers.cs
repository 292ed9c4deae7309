using System.Net.Http.Json;
using System.Text.Json.Nodes;
using AngleSharp.Dom;
using AngleSharp.Html.Dom;

namespace Atende.Web.Tests.Settings;

/// <summary>Finds the small per-row forms of the settings pages the way a person would: by the field or button they use.</summary>
internal static class PageHelpers
{
    public static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>The form holding the element matched by <paramref name="selector"/>.</summary>
    public static IHtmlFormElement FormOf(IHtmlDocument page, string selector) =>
        page.QuerySelector(selector)?.Closest("form") as IHtmlFormElement
            ?? throw new InvalidOperationException($"No form around '{selector}'.");

    /// <summary>The form of the button a screen reader announces as <paramref name="label"/>.</summary>
    public static IHtmlFormElement FormOfButton(IHtmlDocument page, string label) =>
        page.QuerySelectorAll("button").FirstOrDefault(b => b.GetAttribute("aria-label") == label)?.Closest("form") as IHtmlFormElement
            ?? throw new InvalidOperationException($"No button labelled '{label}'.");

    public static string Text(IHtmlDocument page) => page.Body!.TextContent;

    /// <summary>The message shown next to a field (asp-validation-for span).</summary>
    public static string FieldError(IHtmlDocument page, string field) =>
        page.QuerySelector($"[data-valmsg-for='{field}']")?.TextContent.Trim() ?? "";

    public static string Value(IHtmlDocument page, string selector) =>
        (page.QuerySelector(selector) as IHtmlInputElement)?.Value ?? throw new InvalidOperationException($"No input '{selector}'.");

    public static async Task<JsonArray> Items(HttpClient api, string url) =>
        (await api.GetFromJsonAsync<JsonObject>(url, Ct))!["items"]!.AsArray();

    public static JsonObject? ByName(JsonArray items, string name) =>
        items.Select(i => i!.AsObject()).FirstOrDefault(i => i["name"]!.GetValue<string>() == name);

    /// <summary>A name no other test of the shared app uses.</summary>
    public static string Unique(string prefix) => $"{prefix} {Guid.NewGuid().ToString("N")[..6]}";
}
