using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using AngleSharp.Dom;
using AngleSharp.Html.Dom;
using Atende.Web.Tests.Infrastructure;
using Atende.Web.Tests.Tickets;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.Mvc.RazorPages.Infrastructure;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Template;
using Microsoft.Extensions.DependencyInjection;

namespace Atende.Web.Tests.Navigation;

/// <summary>
/// Follows every link and form on the main pages, as an admin with realistic data, and fails on any target that does not exist.
/// <list type="bullet">
/// <item>GET targets (<c>a[href]</c>, <c>form</c> without <c>method=post</c> with its default fields, <c>hx-get</c>) are requested;
/// redirects are followed and must end in 200 (never on the login or access-denied page); a 404 or 500 fails.</item>
/// <item>POST targets (<c>form[method=post]</c> action, a submit button's <c>formaction</c>, <c>hx-post</c>) are not posted, so the walk
/// changes nothing: the URL is matched against the app's own Razor Pages routes (with their constraints, as the router does), and the
/// <c>handler=</c> it names must be one of that page's POST handlers (an unknown handler would silently render the page instead).</item>
/// </list>
/// A link like <c>/tickets/41/move@context</c> (Razor reading <c>move@context</c> as an e-mail address) answers 404 as a GET and
/// matches no page route as a POST target, so either way it fails here.
/// The walk is breadth-first: the start pages (depth 0) and the pages they link to (depth 1) are read for more targets; targets
/// found on depth-1 pages (depth 2) are only requested. Pages with the same path and query keys are read once, and the number of
/// requests is capped so the walk stays fast.
/// </summary>
public abstract class LinkWalkTests(AppFixture fixture)
{
    private const int MaxDepth = 2;
    private const int MaxRequests = 700;

    private TestApp App => fixture.App;
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Every_link_and_form_target_on_the_main_pages_exists()
    {
        var start = await RealisticData();
        using var browser = await App.LoggedIn();
        var routes = new PageRoutes(App.Services);
        var watch = Stopwatch.StartNew();
        var walk = await Walk(browser, start, routes);

        Assert.True(walk.Failures.Count == 0, $"{walk.Failures.Count} broken targets ({walk.Requested.Count} GETs, {walk.PostsChecked.Count} POST targets, {walk.Read.Count} pages read in {watch.Elapsed.TotalSeconds:0.0} s):\n" + string.Join('\n', walk.Failures));
        // The walk really covered the app: the ticket page's tabs, the move page and the partner's contact form were reached.
        Assert.Contains(walk.Requested, u => u.Contains("/move", StringComparison.Ordinal));
        Assert.Contains(walk.Requested, u => u.Contains("tab=historico", StringComparison.Ordinal));
        // ... and the sales pages: the NF-e page with its JSON and "pronta para emissão", the purchases with their filters.
        Assert.Contains(walk.Requested, u => u.Contains("/nfe?handler=Json", StringComparison.Ordinal));
        Assert.Contains(walk.PostsChecked, u => u.Contains("/nfe?handler=Ready", StringComparison.Ordinal));
        Assert.Contains(walk.Requested, u => u.StartsWith("/purchases?", StringComparison.Ordinal) && u.Contains("handler=Export", StringComparison.Ordinal));
        Assert.True(walk.PostsChecked.Count > 20, $"only {walk.PostsChecked.Count} POST targets were checked");
        Assert.True(walk.Requested.Count > 100, $"only {walk.Requested.Count} GET requests were made");
        TestContext.Current.SendDiagnosticMessage($"{walk.Requested.Count} GETs, {walk.PostsChecked.Count} POST targets, {walk.Read.Count} pages read in {watch.Elapsed.TotalSeconds:0.0} s");
    }

    /// <summary>
    /// The customer's approval page (<c>/q/{token}</c>), walked without a login: every link and form on it works for someone who
    /// has no account (nothing ends on the login page), and the page they lead to is read too.
    /// </summary>
    [Fact]
    public async Task Every_link_and_form_target_on_the_public_quote_page_works_without_a_login()
    {
        var link = await SentQuoteLink();
        using var customer = App.Browser();
        var walk = await Walk(customer, [new Uri(link).PathAndQuery], new PageRoutes(App.Services));
        Assert.True(walk.Failures.Count == 0, $"{walk.Failures.Count} broken targets:\n" + string.Join('\n', walk.Failures));
        Assert.Contains(walk.Requested, u => u.Contains("handler=Pdf", StringComparison.Ordinal));
        Assert.Contains(walk.PostsChecked, u => u.Contains("handler=Approve", StringComparison.Ordinal));
        Assert.Contains(walk.PostsChecked, u => u.Contains("handler=Reject", StringComparison.Ordinal));
    }

    private sealed record WalkResult(List<string> Failures, HashSet<string> Requested, HashSet<string> Read, HashSet<string> PostsChecked);

    /// <summary>Walks breadth-first from <paramref name="start"/> as <paramref name="client"/> (see the class summary).</summary>
    private static async Task<WalkResult> Walk(HttpClient client, IEnumerable<string> start, PageRoutes routes)
    {
        var result = new WalkResult([], [], [], []);
        var queue = new Queue<(string Url, int Depth, string From, bool Htmx)>(start.Select(u => (u, 0, "(start)", false)));
        while (queue.Count > 0 && result.Requested.Count < MaxRequests)
        {
            var (url, depth, from, htmx) = queue.Dequeue();
            if (!result.Requested.Add((htmx ? "hx " : "") + url))
            {
                continue;
            }
            var (status, finalUrl, response) = await Follow(client, url, htmx);
            using var owned = response;
            if (status != HttpStatusCode.OK || IsLoginOrDenied(finalUrl))
            {
                result.Failures.Add($"GET {url} (linked from {from}) ended in {(int)status} at {finalUrl}");
                continue;
            }
            var isHtml = response!.Content.Headers.ContentType?.MediaType == "text/html";
            if (!isHtml || depth >= MaxDepth || htmx || !result.Read.Add(Shape(finalUrl)))
            {
                continue;
            }
            var page = await HtmlClient.Parse(response);
            foreach (var target in Targets(page, finalUrl))
            {
                if (target.Method == "POST")
                {
                    if (result.PostsChecked.Add(target.Url) && routes.Check(target.Url) is { } problem)
                    {
                        result.Failures.Add($"POST {target.Url} (form on {finalUrl}): {problem}");
                    }
                }
                else
                {
                    queue.Enqueue((target.Url, depth + 1, finalUrl, target.Htmx));
                }
            }
        }
        return result;
    }

    /// <summary>A pipeline with tags, tickets (one archived, one in the trash, one with an interaction), a partner with contacts,
    /// a conversation, an e-mail template, a notification for the admin, quotes and sales (one to invoice) and a purchase; answers
    /// the start pages.</summary>
    private async Task<List<string>> RealisticData()
    {
        var api = App.Api(fixture.AdminToken);
        var workspaceId = (await api.GetFromJsonAsync<System.Text.Json.Nodes.JsonObject>("/api/v1/workspaces", Ct))!["items"]![0]!["id"]!.GetValue<long>();
        var (agentId, agentToken) = await App.CreateUser(fixture.AdminToken, $"agente-{Guid.NewGuid():N}@test.com.br", "Agent", workspaceId);
        var pipeline = await TicketSteps.Pipeline(api, users: [agentId], tags: ["Urgente", "Em andamento", "Visita"]);
        var pipelineId = pipeline["id"]!.GetValue<long>();
        var tagIds = await TicketSteps.TagIds(api, pipelineId);
        var (partnerId, contactId) = await TicketSteps.Partner(api, workspaceId, TicketSteps.Unique("Padaria Pão Quente"), "João Conceição");
        var second = await TicketSteps.Json(await api.PostAsJsonAsync($"/api/v1/partners/{partnerId}/contacts", new { name = "Maria Souza" }, Ct), HttpStatusCode.Created);

        var ticket = await TicketSteps.Ticket(api, pipelineId, partnerId, contactId, "Segunda via do boleto", new { tagIds = tagIds[..2] });
        var ticketId = ticket["id"]!.GetValue<long>();
        await TicketSteps.Json(await api.PostAsJsonAsync($"/api/v1/tickets/{ticketId}/interactions", new { body = "<p>Cliente pediu a segunda via.</p>" }, Ct), HttpStatusCode.Created);
        var archived = await TicketSteps.Ticket(api, pipelineId, partnerId, contactId, "Guias de março", new { tagIds = tagIds[2..] });
        await TicketSteps.Json(await api.PostAsync($"/api/v1/tickets/{archived["id"]}/archive", null, Ct), HttpStatusCode.OK);
        var trashed = await TicketSteps.Ticket(api, pipelineId, partnerId, second["id"]!.GetValue<long>(), "Pedido duplicado");
        Assert.Equal(HttpStatusCode.NoContent, (await api.DeleteAsync($"/api/v1/tickets/{trashed["id"]}", Ct)).StatusCode);

        // The agent opens a ticket for the admin and notifies her: /notifications has an item.
        var adminId = (await api.GetFromJsonAsync<System.Text.Json.Nodes.JsonObject>("/api/v1/users", Ct))!["items"]!.AsArray()
            .Single(u => u!["email"]!.GetValue<string>() == TestApp.AdminEmail)!["id"]!.GetValue<long>();
        using var agent = App.Api(agentToken);
        var forAdmin = await TicketSteps.Ticket(agent, pipelineId, partnerId, contactId, "Conferir folha", new { assigneeId = adminId });
        await TicketSteps.Json(await agent.PostAsync($"/api/v1/tickets/{forAdmin["id"]}/notify", null, Ct), HttpStatusCode.OK);

        var conversation = await TicketSteps.Json(await api.PostAsJsonAsync("/api/v1/conversations", new
        {
            partnerId, channelId = 1, opportunityTypeId = 1, subject = "Retorno da proposta", description = "Ligar de volta com a proposta revisada.",
            at = DateTimeOffset.UtcNow.AddDays(1).ToString("O"),
        }, Ct), HttpStatusCode.Created);
        var template = await TicketSteps.Json(await api.PostAsJsonAsync("/api/v1/settings/email-templates",
            new { name = "Guias do mês", subject = "Guias de {{parceiro.nome}}", body = "<p>Olá, {{contato.nome}}.</p>" }, Ct), HttpStatusCode.Created);
        // Inactive: the walk must not make the dispatcher call a host that does not exist.
        var webhook = await TicketSteps.Json(await api.PostAsJsonAsync("/api/v1/webhooks",
            new { url = "https://erp.exemplo.com.br/atende", description = "ERP", events = new[] { "ticket.created" }, active = false }, Ct), HttpStatusCode.Created);

        // A quote revised once (version 1 viewable) and a sale: the quote page, the form and the menu Vendas have rows to link.
        var items = new object[] { new { description = "Visita técnica", quantity = 2, unitPrice = 150m, discountPercent = 10m } };
        var quote = await TicketSteps.Json(await api.PostAsJsonAsync("/api/v1/quotes", new { ticketId, items, notes = "Pagamento em 30 dias." }, Ct), HttpStatusCode.Created);
        await TicketSteps.Json(await TicketSteps.Patch(api, $"/api/v1/quotes/{quote["id"]}", new { notes = "À vista." }, "\"1\""), HttpStatusCode.OK);
        var sale = await TicketSteps.Json(await api.PostAsJsonAsync("/api/v1/quotes", new { ticketId, items, state = "Approved" }, Ct), HttpStatusCode.Created);
        // A sale to invoice (its NF-e page: checklist, JSON, "pronta para emissão") and a purchase from a supplier.
        var nfeSale = await TicketSteps.Json(await api.PostAsJsonAsync("/api/v1/quotes", new { ticketId, items, state = "Approved", issueNfe = true }, Ct), HttpStatusCode.Created);
        var supplier = await TicketSteps.Json(await api.PostAsJsonAsync("/api/v1/partners", new { name = TicketSteps.Unique("Distribuidora Forno Forte"), workspaceId, roles = new[] { "Supplier" } }, Ct), HttpStatusCode.Created);
        var purchase = await TicketSteps.Json(await api.PostAsJsonAsync("/api/v1/purchases", new
        {
            ticketId, supplierId = supplier["id"], items = new[] { new { description = "Resistência 220V", quantity = 2, unitPrice = 89.90m } }, notes = "Entrega em 5 dias úteis.",
        }, Ct), HttpStatusCode.Created);

        var pages = new List<string>
        {
            "/", "/tickets", $"/tickets?pipelineId={pipelineId}", $"/tickets?pipelineId={pipelineId}&bin=Archived", $"/tickets?pipelineId={pipelineId}&bin=Trash",
            $"/tickets/board?pipelineId={pipelineId}", $"/tickets/new?pipelineId={pipelineId}", $"/tickets/new?pipelineId={pipelineId}&partnerId={partnerId}", $"/tickets/{ticketId}/move", $"/tickets/{archived["id"]}", $"/tickets/{trashed["id"]}",
            "/partners", $"/partners/{partnerId}", $"/partners/{partnerId}/edit", $"/partners/{partnerId}/contacts/new",
            $"/partners/{partnerId}/contacts/{contactId}/edit", "/agenda", "/conversations/new", $"/conversations/{conversation["id"]}",
            "/notifications", "/account/tokens", $"/pipelines/{pipelineId}/tags",
            "/settings/company", "/settings/email", "/settings/inbox", "/settings/email-templates", $"/settings/email-templates/{template["id"]}/edit",
            "/settings/email-templates/new", "/settings/outbox", "/settings/lists", "/settings/users", $"/settings/users/{agentId}/edit",
            "/settings/workspaces", "/settings/pipelines", $"/settings/pipelines/{pipelineId}/edit", "/settings/pipelines/new",
            "/settings/webhooks", "/settings/webhooks/new", $"/settings/webhooks/{webhook["id"]}", $"/settings/webhooks/{webhook["id"]}/edit",
            "/sales", "/sales?tab=orcamentos", $"/sales?tab=vendas&partnerId={partnerId}", $"/quotes/{quote["id"]}", $"/quotes/{quote["id"]}?version=1",
            $"/quotes/{quote["id"]}/edit", $"/quotes/{sale["id"]}", $"/tickets/{ticketId}/quotes/new", $"/partners/{partnerId}?tab=vendas",
            $"/quotes/{nfeSale["id"]}/nfe", "/purchases", $"/purchases/new?ticketId={ticketId}", $"/purchases/{purchase["id"]}",
            $"/purchases?supplierId={supplier["id"]}&pipelineId={pipelineId}&from={DateTime.UtcNow.AddDays(-1):dd'/'MM'/'yyyy}&to={DateTime.UtcNow.AddDays(1):dd'/'MM'/'yyyy}",
            $"/purchases?ticketId={ticketId}",
        };
        pages.AddRange(Pages.Tickets.DetailsModel.Tabs.Select(tab => $"/tickets/{ticketId}?tab={tab.Key}"));
        return pages;
    }

    /// <summary>A quote of two items sent to the customer: answers the e-mail's public approval link.</summary>
    private async Task<string> SentQuoteLink()
    {
        var api = App.Api(fixture.AdminToken);
        var workspaceId = (await api.GetFromJsonAsync<System.Text.Json.Nodes.JsonObject>("/api/v1/workspaces", Ct))!["items"]![0]!["id"]!.GetValue<long>();
        var pipelineId = (await TicketSteps.Pipeline(api))["id"]!.GetValue<long>();
        var (partnerId, contactId) = await TicketSteps.Partner(api, workspaceId, TicketSteps.Unique("Mercado São João"), "Joana Prado");
        var ticketId = (await TicketSteps.Ticket(api, pipelineId, partnerId, contactId, "Orçamento de pães"))["id"]!.GetValue<long>();
        var items = new object[]
        {
            new { description = "Pão francês (kg)", quantity = 12.5m, unitPrice = 18.90m },
            new { description = "Bolo de fubá", quantity = 4, unitPrice = 32m, discountPercent = 5m },
        };
        // A quote sent to the customer: the e-mail's public approval link, walked without a login.
        var company = (await api.GetFromJsonAsync<System.Text.Json.Nodes.JsonObject>("/api/v1/settings/company", Ct))!;
        Assert.Equal(HttpStatusCode.OK, (await api.PutAsJsonAsync("/api/v1/settings/company", new
        {
            name = company["name"]!.GetValue<string>(), email = company["email"]?.GetValue<string>(), timeZone = company["timeZone"]!.GetValue<string>(), publicUrl = "http://localhost",
        }, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await api.PutAsJsonAsync("/api/v1/settings/smtp", new
        {
            host = "127.0.0.1", port = 1, security = "None", fromName = "Padaria Pão Quente", fromAddress = "vendas@paoquente.test",
        }, Ct)).StatusCode);
        var toSend = await TicketSteps.Json(await api.PostAsJsonAsync("/api/v1/quotes", new { ticketId, items, notes = "Entrega às 6h.", validUntil = DateTime.UtcNow.AddDays(10).ToString("yyyy-MM-dd") }, Ct), HttpStatusCode.Created);
        using var send = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/quotes/{toSend["id"]}/send") { Content = JsonContent.Create(new { to = "compras@padaria.test" }) };
        send.Headers.IfMatch.Add(new System.Net.Http.Headers.EntityTagHeaderValue("\"1\""));
        var link = (await TicketSteps.Json(await api.SendAsync(send, Ct), HttpStatusCode.OK))["link"]!.GetValue<string>();
        return link;
    }

    private sealed record Target(string Method, string Url, bool Htmx = false);

    /// <summary>Every same-origin target of links, forms and htmx attributes on the page.</summary>
    private static IEnumerable<Target> Targets(IHtmlDocument page, string pageUrl)
    {
        var baseUri = new Uri(new Uri("http://localhost"), pageUrl);
        foreach (var a in page.QuerySelectorAll("a[href]"))
        {
            if (Resolve(baseUri, a.GetAttribute("href")) is { } url && !IsLogout(url))
            {
                yield return new("GET", url);
            }
        }
        foreach (var form in page.QuerySelectorAll("form").OfType<IHtmlFormElement>())
        {
            var post = string.Equals(form.GetAttribute("method"), "post", StringComparison.OrdinalIgnoreCase);
            var action = Resolve(baseUri, string.IsNullOrEmpty(form.GetAttribute("action")) ? pageUrl : form.GetAttribute("action"));
            if (action is null || IsLogout(action))
            {
                continue;
            }
            if (post)
            {
                if (IsTokenCarrier(page, form))
                {
                    continue;
                }
                yield return new("POST", action);
                foreach (var button in form.Elements.Where(e => e.HasAttribute("formaction")))
                {
                    if (Resolve(baseUri, button.GetAttribute("formaction")) is { } formAction)
                    {
                        yield return new("POST", formAction);
                    }
                }
            }
            else
            {
                yield return new("GET", WithQuery(action, DefaultFields(form)));
            }
        }
        // Buttons outside their form (form="id") with their own formaction.
        foreach (var button in page.QuerySelectorAll("[formaction][form]"))
        {
            if (Resolve(baseUri, button.GetAttribute("formaction")) is { } formAction)
            {
                yield return new("POST", formAction);
            }
        }
        foreach (var element in page.QuerySelectorAll("[hx-get]"))
        {
            if (Resolve(baseUri, element.GetAttribute("hx-get")) is { } url)
            {
                // htmx sends a form's fields with the request the form makes.
                yield return new("GET", element is IHtmlFormElement form ? WithQuery(url, DefaultFields(form)) : url, Htmx: true);
            }
        }
        foreach (var element in page.QuerySelectorAll("[hx-post]"))
        {
            if (Resolve(baseUri, element.GetAttribute("hx-post")) is { } url)
            {
                yield return new("POST", url);
            }
        }
    }

    /// <summary>
    /// A form with nothing but hidden fields and no button anywhere pointing at it only carries the anti-forgery token for scripts
    /// (the board's drag and drop); nobody submits it as it stands.
    /// </summary>
    private static bool IsTokenCarrier(IHtmlDocument page, IHtmlFormElement form) =>
        form.Elements.All(e => e is IHtmlInputElement { Type: "hidden" })
        && (string.IsNullOrEmpty(form.Id) || page.QuerySelector($"[form='{form.Id}']") is null);

    /// <summary>The same-origin path and query of a link, or null for anchors, mailto:, tel:, javascript: and other sites.</summary>
    private static string? Resolve(Uri baseUri, string? href)
    {
        if (href is null || href.StartsWith('#') || href.StartsWith("mailto:", StringComparison.OrdinalIgnoreCase)
            || href.StartsWith("tel:", StringComparison.OrdinalIgnoreCase) || href.StartsWith("javascript:", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }
        if (!Uri.TryCreate(baseUri, href, out var uri) || uri.Host != baseUri.Host || uri.Scheme is not ("http" or "https"))
        {
            return null;
        }
        return uri.PathAndQuery;
    }

    private static bool IsLogout(string url) => url.StartsWith("/logout", StringComparison.OrdinalIgnoreCase);

    private static bool IsLoginOrDenied(string url) =>
        url.StartsWith("/login", StringComparison.OrdinalIgnoreCase) || url.StartsWith("/acesso-negado", StringComparison.OrdinalIgnoreCase);

    /// <summary>Path plus the names of the query parameters: pages of one shape are read for targets once.</summary>
    private static string Shape(string url)
    {
        var q = url.IndexOf('?', StringComparison.Ordinal);
        if (q < 0)
        {
            return url;
        }
        var keys = QueryPairs(url[(q + 1)..]).Select(p => p.Key).Distinct().Order(StringComparer.Ordinal);
        return url[..q] + "?" + string.Join('&', keys);
    }

    private static IEnumerable<KeyValuePair<string, string>> QueryPairs(string query) =>
        Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(query).SelectMany(p => p.Value.Select(v => new KeyValuePair<string, string>(p.Key, v ?? "")));

    /// <summary>The fields a GET form submits untouched: named inputs (checked boxes only), selects and text areas.</summary>
    private static List<KeyValuePair<string, string>> DefaultFields(IHtmlFormElement form)
    {
        var fields = new List<KeyValuePair<string, string>>();
        foreach (var element in form.Elements)
        {
            switch (element)
            {
                case IHtmlInputElement input when !string.IsNullOrEmpty(input.Name) && input.Type is not ("submit" or "button" or "file"):
                    if (input.Type is not ("checkbox" or "radio") || input.IsChecked)
                    {
                        fields.Add(new(input.Name, input.Value));
                    }
                    break;
                case IHtmlSelectElement select when !string.IsNullOrEmpty(select.Name):
                    fields.Add(new(select.Name, (select.Options.FirstOrDefault(o => o.IsSelected) ?? select.Options.FirstOrDefault())?.Value ?? ""));
                    break;
                case IHtmlTextAreaElement area when !string.IsNullOrEmpty(area.Name):
                    fields.Add(new(area.Name, area.Value));
                    break;
            }
        }
        return fields;
    }

    private static string WithQuery(string action, List<KeyValuePair<string, string>> fields)
    {
        if (fields.Count == 0)
        {
            return action;
        }
        var path = action.Split('?')[0];
        var query = new StringBuilder();
        foreach (var (key, value) in fields)
        {
            query.Append(query.Length == 0 ? '?' : '&').Append(Uri.EscapeDataString(key)).Append('=').Append(Uri.EscapeDataString(value));
        }
        return path + query;
    }

    /// <summary>GETs <paramref name="url"/> following up to five redirects; answers the last status, URL and response.</summary>
    private static async Task<(HttpStatusCode Status, string Url, HttpResponseMessage? Response)> Follow(HttpClient browser, string url, bool htmx)
    {
        for (var hop = 0; hop < 6; hop++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, url);
            if (htmx)
            {
                request.Headers.Add("HX-Request", "true");
            }
            var response = await browser.SendAsync(request, Ct);
            if ((int)response.StatusCode is >= 300 and < 400 && response.Headers.Location is { } location)
            {
                url = new Uri(new Uri("http://localhost" + url), location).PathAndQuery;
                response.Dispose();
                continue;
            }
            return (response.StatusCode, url, response);
        }
        return (HttpStatusCode.LoopDetected, url, null);
    }

    /// <summary>
    /// The app's Razor Pages routes, matched as the router does (template and inline constraints), and each page's handlers as
    /// MVC loads them.
    /// </summary>
    private sealed class PageRoutes(IServiceProvider services)
    {
        private readonly List<RouteEndpoint> _pages = [.. services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.Metadata.GetMetadata<PageActionDescriptor>() is not null)
            .OrderBy(e => e.Order).ThenByDescending(e => e.RoutePattern.PathSegments.Count(s => s.IsSimple && s.Parts[0].IsLiteral))];

        private readonly IInlineConstraintResolver _constraints = services.GetRequiredService<IInlineConstraintResolver>();
        private readonly PageLoader _loader = services.GetRequiredService<PageLoader>();

        /// <summary>Null when a page answers POST <paramref name="url"/> with the handler it names; otherwise what is wrong.</summary>
        public string? Check(string url)
        {
            var q = url.IndexOf('?', StringComparison.Ordinal);
            var path = q < 0 ? url : url[..q];
            var query = q < 0 ? [] : Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(url[(q + 1)..]);
            var handler = query.TryGetValue("handler", out var h) ? h.ToString() : null;
            foreach (var endpoint in _pages)
            {
                var values = new RouteValueDictionary();
                var matcher = new TemplateMatcher(new RouteTemplate(endpoint.RoutePattern), new RouteValueDictionary(endpoint.RoutePattern.Defaults));
                if (!matcher.TryMatch(new PathString(Uri.UnescapeDataString(path)), values) || !ConstraintsHold(endpoint, values))
                {
                    continue;
                }
                var page = _loader.LoadAsync(endpoint.Metadata.GetMetadata<PageActionDescriptor>()!, endpoint.Metadata).GetAwaiter().GetResult();
                var posts = page.HandlerMethods.Where(m => string.Equals(m.HttpMethod, "POST", StringComparison.OrdinalIgnoreCase)).ToList();
                if (posts.Any(m => string.Equals(m.Name, handler, StringComparison.OrdinalIgnoreCase)))
                {
                    return null;
                }
                return $"page {page.ViewEnginePath} has no POST handler '{handler ?? "(none)"}' (it has: {string.Join(", ", posts.Select(m => m.Name ?? "(none)"))})";
            }
            return "no page answers this path";
        }

        private bool ConstraintsHold(RouteEndpoint endpoint, RouteValueDictionary values)
        {
            foreach (var (name, policies) in endpoint.RoutePattern.ParameterPolicies)
            {
                foreach (var policy in policies)
                {
                    if (policy.Content is { } content && _constraints.ResolveConstraint(content) is { } constraint
                        && !constraint.Match(null, null, name, values, RouteDirection.IncomingRequest))
                    {
                        return false;
                    }
                }
            }
            return true;
        }
    }
}

public sealed class LinkWalkTestsSqlite(SqliteFixture fixture) : LinkWalkTests(fixture), IClassFixture<SqliteFixture>;

public sealed class LinkWalkTestsPostgres(PostgresFixture fixture) : LinkWalkTests(fixture), IClassFixture<PostgresFixture>;
