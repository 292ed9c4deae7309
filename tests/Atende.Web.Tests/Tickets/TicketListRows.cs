using AngleSharp.Html.Dom;
using Atende.Web.Tests.Infrastructure;

namespace Atende.Web.Tests.Tickets;

/// <summary>
/// The ticket list's rows as tickets.js completes them: a row's menus, tools and tag remove buttons are templates written
/// once and filled in for the row, whose buttons post the page's one form (#page-form, with the page's one anti-forgery
/// token) to their formaction. These post what a filled-in button posts.
/// </summary>
public static class TicketListRows
{
    public static IHtmlFormElement PageForm(IHtmlDocument page) =>
        page.GetElementById("page-form") as IHtmlFormElement ?? throw new InvalidOperationException("No #page-form on the page");

    /// <summary>Where a row's status and actions menus post: the list's query, the Action handler and the ticket (tickets.js rowAction).</summary>
    public static string RowAction(IHtmlDocument page, object ticketId)
    {
        var query = page.GetElementById("results")!.GetAttribute("data-list-query") ?? "";
        return $"/tickets{(query.Length == 0 ? "?" : query + "&")}handler=Action&id={ticketId}";
    }

    /// <summary>Where a tag chip's remove button posts: the tag-remove template's formaction filled in for the ticket and tag.</summary>
    public static string TagRemoveAction(IHtmlDocument page, object ticketId, object tagId)
    {
        var template = page.GetElementById("tag-remove") as IHtmlTemplateElement ?? throw new InvalidOperationException("No tag-remove template");
        return template.Content.QuerySelector("button")!.GetAttribute("formaction")!.Replace("{id}", $"{ticketId}").Replace("{tag}", $"{tagId}");
    }

    /// <summary>Where a tag dropped on a row posts (htmx, with the tag's id appended).</summary>
    public static string AddTagUrl(IHtmlDocument page, object ticketId) =>
        page.GetElementById("results")!.GetAttribute("data-add-tag-url") + "&id=" + ticketId;

    /// <summary>A choice in the row's status or actions menu (status=… or action=…), from the list at <paramref name="listUrl"/>.</summary>
    public static async Task<HttpResponseMessage> Choose(HttpClient browser, string listUrl, object ticketId, string name, string value)
    {
        var page = await browser.GetPage(listUrl);
        return await browser.Submit(PageForm(page), listUrl, [], name, value, RowAction(page, ticketId));
    }

    /// <summary>The remove button of a tag chip of the row.</summary>
    public static async Task<HttpResponseMessage> RemoveTag(HttpClient browser, string listUrl, object ticketId, object tagId)
    {
        var page = await browser.GetPage(listUrl);
        return await browser.Submit(PageForm(page), listUrl, [], formAction: TagRemoveAction(page, ticketId, tagId));
    }
}
