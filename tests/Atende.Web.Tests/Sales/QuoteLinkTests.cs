using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using AngleSharp.Html.Dom;
using Atende.Web.Tests.Infrastructure;
using Atende.Web.Tests.Tickets;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static Atende.Web.Tests.Tickets.TicketSteps;

namespace Atende.Web.Tests.Sales;

public sealed class QuoteLinkSqliteFixture() : AppFixture("Sqlite", QuoteLinkTests.Settings);

public sealed class QuoteLinkPostgresFixture() : AppFixture("Postgres", QuoteLinkTests.Settings);

/// <summary>"Enviar ao cliente" and the customer's public approval page (<c>/q/{token}</c>, no login).</summary>
public abstract class QuoteLinkTests(AppFixture fixture)
{
    public const string PublicUrl = "https://atende.padaria.example";

    public static Dictionary<string, string> Settings => new() { ["Atende:PublicUrl"] = PublicUrl, ["Atende:PublicQuote:PermitPerMinute"] = "10000" };

    private TestApp App => fixture.App;
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task<(HttpClient Api, long QuoteId, long TicketId, string ContactEmail)> PendingQuote()
    {
        var api = App.Api(fixture.AdminToken);
        Assert.Equal(HttpStatusCode.OK, (await api.PutAsJsonAsync("/api/v1/settings/smtp", new
        {
            host = "127.0.0.1", port = 1, security = "None", fromName = "Padaria Pão Quente", fromAddress = "vendas@paoquente.test",
        }, Ct)).StatusCode);
        var workspaceId = await App.CreateWorkspace(fixture.AdminToken, Unique("Domínio Vendas"));
        var pipelineId = (await Pipeline(api))["id"]!.GetValue<long>();
        var partner = await Json(await api.PostAsJsonAsync("/api/v1/partners", new { name = Unique("Mercado São João"), workspaceId, code = "11.222.333/0001-81", confirmDuplicates = true }, Ct), HttpStatusCode.Created);
        var email = $"compras-{Guid.NewGuid():N}@mercado.test";
        var contact = await Json(await api.PostAsJsonAsync($"/api/v1/partners/{partner["id"]}/contacts", new { name = "Joana Prado", emails = new[] { email } }, Ct), HttpStatusCode.Created);
        var ticket = await Ticket(api, pipelineId, partner["id"]!.GetValue<long>(), contact["id"]!.GetValue<long>(), "Orçamento de pães para o mercado");
        var ticketId = ticket["id"]!.GetValue<long>();
        var quote = await Json(await api.PostAsJsonAsync("/api/v1/quotes", new
        {
            ticketId, validUntil = DateTime.UtcNow.AddDays(10).ToString("yyyy-MM-dd"), notes = "Entrega às 6h.",
            items = new object[]
            {
                new { description = "Pão francês (kg)", quantity = 12.5m, unitPrice = 18.90m },
                new { description = "Bolo de fubá", quantity = 4, unitPrice = 32m, discountPercent = 5m },
            },
        }, Ct), HttpStatusCode.Created);
        return (api, quote["id"]!.GetValue<long>(), ticketId, email);
    }

    private static async Task<HttpResponseMessage> Send(HttpClient api, long id, string? etag, object? body = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/quotes/{id}/send") { Content = JsonContent.Create(body ?? new { }) };
        if (etag is not null)
        {
            request.Headers.IfMatch.Add(new EntityTagHeaderValue(etag));
        }
        return await api.SendAsync(request, Ct);
    }

    /// <summary>The customer presses "Aprovar" or "Recusar" on the page, as a browser posts the form.</summary>
    private static async Task<IHtmlDocument> Decide(HttpClient customer, string path, string handler, string name, string cpf, string? version = null)
    {
        var page = await customer.GetPage(path);
        var form = (IHtmlFormElement)page.QuerySelector("form")!;
        var button = page.QuerySelectorAll("form button").Single(b => b.GetAttribute("formaction")?.Contains("handler=" + handler) == true);
        var values = new Dictionary<string, string> { ["Input.Name"] = name, ["Input.Cpf"] = cpf };
        if (version is not null)
        {
            values["Input.Version"] = version;
        }
        var response = await customer.Submit(form, path, values, formAction: button.GetAttribute("formaction"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await HtmlClient.Parse(response);
    }

    [Fact]
    public async Task The_customer_gets_the_pdf_by_email_and_approves_the_current_version_with_name_and_cpf_through_the_link()
    {
        var (api, id, ticketId, email) = await PendingQuote();
        Assert.Equal(HttpStatusCode.PreconditionRequired, (await Send(api, id, null)).StatusCode);
        var sent = await Json(await Send(api, id, "\"1\""), HttpStatusCode.OK);
        Assert.Equal(email, sent["to"]!.GetValue<string>());
        var link = sent["link"]!.GetValue<string>();
        Assert.StartsWith(PublicUrl + "/q/", link);
        var path = new Uri(link).AbsolutePath;

        await using (var scope = App.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<Atende.Core.Data.AtendeDb>();
            var outbox = await db.OutboxEmails.Include(e => e.Attachments).SingleAsync(e => e.TicketId == ticketId, Ct);
            Assert.Equal(email, outbox.To);
            Assert.Contains(link, outbox.TextBody);
            Assert.Contains("R$ 357,85", outbox.TextBody); // 12,5 × 18,90 = 236,25; 4 × 32 = 128 − 5% = 121,60
            var file = await db.StoredFiles.SingleAsync(f => f.Id == outbox.Attachments.Single().FileId, Ct);
            Assert.EndsWith("-v1.pdf", file.FileName);
            Assert.Equal("application/pdf", file.ContentType);
            Assert.Equal(1, await db.Events.CountAsync(e => e.TicketId == ticketId && e.Type == "quote.sent", Ct));
            Assert.DoesNotContain(await db.QuoteLinks.Select(l => l.TokenHash).ToListAsync(Ct), h => link.Contains(h));
        }

        // The customer, without a login, sees the version sent.
        var customer = App.Browser();
        var page = await customer.GetPage(path);
        Assert.Contains("versão 1", page.QuerySelector("h1")!.TextContent);
        Assert.Contains("Pão francês (kg)", page.Body!.TextContent);
        Assert.Null(page.QuerySelector(".alert-warning"));
        var customerPdf = await customer.GetAsync(page.QuerySelector("a[href*='handler=Pdf']")!.GetAttribute("href"), Ct);
        Assert.Equal("application/pdf", customerPdf.Content.Headers.ContentType?.MediaType);

        // Meanwhile the salesperson edits: the old link says so and shows version 2.
        Assert.Equal(HttpStatusCode.OK, (await TicketSteps.Patch(api, $"/api/v1/quotes/{id}", new
        {
            items = new object[] { new { description = "Pão francês (kg)", quantity = 10, unitPrice = 18.90m } },
        }, "\"1\"")).StatusCode);
        page = await customer.GetPage(path);
        Assert.Contains("Esta versão foi substituída", page.QuerySelector(".alert-warning")!.TextContent);
        Assert.Contains("versão 2", page.QuerySelector("h1")!.TextContent);
        Assert.Contains("R$ 189,00", page.Body!.TextContent);

        // A CPF with wrong check digits is named; nothing is decided.
        var refused = await Decide(customer, path, "Approve", "Joana Prado", "529.982.247-24");
        Assert.Contains("CPF inválido", refused.QuerySelector("[data-valmsg-for='Input.Cpf']")!.TextContent);
        Assert.Equal("Joana Prado", ((IHtmlInputElement)refused.QuerySelector("#Input_Name")!).Value);
        // A decision on the version the customer saw before the edit is refused.
        var stale = await Decide(customer, path, "Approve", "Joana Prado", "529.982.247-25", version: "1");
        Assert.Contains("atualizado para a versão 2", stale.QuerySelector(".alert-danger")!.TextContent);
        Assert.Equal("PendingApproval", (await Json(await api.GetAsync($"/api/v1/quotes/{id}", Ct), HttpStatusCode.OK))["state"]!.GetValue<string>());

        var approved = await Decide(customer, path, "Approve", "  Joana   Prado ", "52998224725");
        Assert.Contains("Aprovado por Joana Prado", approved.QuerySelector(".alert-success")!.TextContent);
        Assert.Null(approved.QuerySelector("form button"));
        var quote = await Json(await api.GetAsync($"/api/v1/quotes/{id}", Ct), HttpStatusCode.OK);
        Assert.Equal("Approved", quote["state"]!.GetValue<string>());
        await using (var scope = App.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<Atende.Core.Data.AtendeDb>();
            var row = await db.Quotes.SingleAsync(q => q.Id == id, Ct);
            Assert.Equal(("Joana Prado", "529.982.247-25", 2, (long?)null), (row.DecidedByName, row.DecidedByCpf, row.DecidedVersion, row.DecidedById));
            Assert.Equal(1, await db.Events.CountAsync(e => e.TicketId == ticketId && e.Type == "quote.approved" && e.ActorId == null, Ct));
            Assert.Contains(await db.TicketChanges.Where(c => c.TicketId == ticketId && c.Field == "quote").Select(c => c.NewValue).ToListAsync(Ct),
                v => v!.Contains("pelo cliente Joana Prado (CPF 529.982.247-25)"));
        }
        // Nothing more to decide through the link, and a sale is not sent again.
        page = await customer.GetPage(path);
        Assert.Null(page.QuerySelector("form"));
        Assert.Equal(HttpStatusCode.Conflict, (await Send(api, id, "\"3\"")).StatusCode);
    }

    [Fact]
    public async Task The_form_posted_without_choosing_approve_or_reject_decides_nothing_and_asks_for_the_choice()
    {
        var (api, id, _, _) = await PendingQuote();
        var path = new Uri((await Json(await Send(api, id, "\"1\""), HttpStatusCode.OK))["link"]!.GetValue<string>()).AbsolutePath;
        var customer = App.Browser();
        var page = await customer.GetPage(path);
        var response = await customer.Submit((IHtmlFormElement)page.QuerySelector("form")!, path, new() { ["Input.Name"] = "Joana Prado", ["Input.Cpf"] = "529.982.247-25" });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var answer = await HtmlClient.Parse(response);
        Assert.Contains("escolha Aprovar ou Recusar", answer.QuerySelector(".alert-danger")!.TextContent);
        Assert.Equal("Joana Prado", ((IHtmlInputElement)answer.QuerySelector("#Input_Name")!).Value);
        Assert.Contains("Pão francês (kg)", answer.Body!.TextContent);
        Assert.Equal("PendingApproval", (await Json(await api.GetAsync($"/api/v1/quotes/{id}", Ct), HttpStatusCode.OK))["state"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_forged_or_expired_link_opens_nothing_and_the_pdf_is_only_for_who_sees_the_ticket()
    {
        var (api, id, _, _) = await PendingQuote();
        var customer = App.Browser();
        var forged = await customer.GetAsync("/q/" + new string('A', 43), Ct);
        Assert.Equal(HttpStatusCode.NotFound, forged.StatusCode);
        Assert.Contains("Link inválido", await forged.Content.ReadAsStringAsync(Ct));
        Assert.Equal(HttpStatusCode.NotFound, (await customer.GetAsync("/q/" + new string('x', 500), Ct)).StatusCode);

        var link = (await Json(await Send(api, id, "\"1\""), HttpStatusCode.OK))["link"]!.GetValue<string>();
        var path = new Uri(link).AbsolutePath;
        DateTimeOffset sentExpiry;
        await using (var scope = App.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<Atende.Core.Data.AtendeDb>();
            sentExpiry = await db.QuoteLinks.Where(l => l.QuoteId == id).Select(l => l.ExpiresAt).SingleAsync(Ct);
            await db.QuoteLinks.Where(l => l.QuoteId == id).ExecuteUpdateAsync(s => s.SetProperty(l => l.ExpiresAt, DateTimeOffset.UtcNow.AddMinutes(-1)), Ct);
        }
        var expired = await customer.GetPage(path);
        Assert.Contains("Este link expirou", expired.Body!.TextContent);
        // A link sent with a validity date works through that day: the page names it, not the midnight after it.
        var valid = (await Json(await api.GetAsync($"/api/v1/quotes/{id}", Ct), HttpStatusCode.OK))["validUntil"]!.GetValue<string>();
        await using (var scope = App.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<Atende.Core.Data.AtendeDb>();
            var row = await db.QuoteLinks.SingleAsync(l => l.QuoteId == id, Ct);
            row.ExpiresAt = sentExpiry.AddDays(-30);
            await db.SaveChangesAsync(Ct);
        }
        var lastDay = DateOnly.ParseExact(valid, "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture).AddDays(-30);
        expired = await customer.GetPage(path);
        Assert.Contains($"valia até {lastDay:dd'/'MM'/'yyyy}.", expired.Body!.TextContent);
        Assert.DoesNotContain("Pão francês", expired.Body!.TextContent);
        Assert.Null(expired.QuerySelector("form"));

        var pdf = await api.GetAsync($"/api/v1/quotes/{id}/pdf", Ct);
        Assert.Equal("application/pdf", pdf.Content.Headers.ContentType?.MediaType);
        Assert.Equal("attachment", pdf.Content.Headers.ContentDisposition?.DispositionType);
        Assert.StartsWith("%PDF-", System.Text.Encoding.ASCII.GetString((await pdf.Content.ReadAsByteArrayAsync(Ct))[..5]));
        var elsewhere = await App.CreateWorkspace(fixture.AdminToken, Unique("Outro domínio"));
        var (_, token) = await App.CreateUser(fixture.AdminToken, $"outro-{Guid.NewGuid():N}@test.com.br", "Agent", elsewhere);
        Assert.Equal(HttpStatusCode.NotFound, (await App.Api(token).GetAsync($"/api/v1/quotes/{id}/pdf", Ct)).StatusCode);
        var staff = await App.LoggedIn();
        var download = await staff.GetAsync($"/quotes/{id}/pdf?version=1", Ct);
        Assert.Equal("application/pdf", download.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.NotFound, (await staff.GetAsync($"/quotes/{id}/pdf?version=9", Ct)).StatusCode);
    }
}

public sealed class QuoteLinkTestsSqlite(QuoteLinkSqliteFixture fixture) : QuoteLinkTests(fixture), IClassFixture<QuoteLinkSqliteFixture>;

public sealed class QuoteLinkTestsPostgres(QuoteLinkPostgresFixture fixture) : QuoteLinkTests(fixture), IClassFixture<QuoteLinkPostgresFixture>;

public sealed class QuoteLinkRateLimitFixture() : AppFixture("Sqlite", new() { ["Atende:PublicQuote:PermitPerMinute"] = "3" });

public sealed class QuoteLinkRateLimitTests(QuoteLinkRateLimitFixture fixture) : IClassFixture<QuoteLinkRateLimitFixture>
{
    [Fact]
    public async Task Guessing_links_is_cut_off_with_429_after_the_permitted_requests_a_minute()
    {
        var customer = fixture.App.Browser();
        var answers = new List<HttpStatusCode>();
        for (var i = 0; i < 4; i++)
        {
            answers.Add((await customer.GetAsync($"/q/palpite{i}", TestContext.Current.CancellationToken)).StatusCode);
        }
        Assert.Equal([HttpStatusCode.NotFound, HttpStatusCode.NotFound, HttpStatusCode.NotFound, (HttpStatusCode)429], answers);
    }
}
