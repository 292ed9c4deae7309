using Atende.Core.Identity;
using System.Net;
using System.Net.Http.Json;
using Atende.Core.Data;
using Atende.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Atende.Web.Tests.Identity;

/// <summary>First run on an empty database, per provider (each test has a fresh database).</summary>
public abstract class SetupTests(string provider)
{
    [Fact]
    public async Task Migrations_are_applied_and_match_the_model()
    {
        await using var app = await TestApp.Start(provider);
        using var scope = app.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<AtendeDb>();
        Assert.Empty(await db.Database.GetPendingMigrationsAsync(TestContext.Current.CancellationToken));
        Assert.False(db.Database.HasPendingModelChanges(), "The model has changes without a migration: run scripts/add-migration.sh.");
        using var client = app.Api();
        var health = await client.GetAsync("/healthz", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
    }

    [Fact]
    public async Task First_visit_shows_setup_and_the_form_creates_the_company_and_signs_in()
    {
        await using var app = await TestApp.Start(provider);
        using var browser = app.Browser();
        var first = await browser.GetAsync("/partners", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Redirect, first.StatusCode);
        Assert.Equal("/setup", first.Headers.Location?.OriginalString);

        // A short password is refused with a pt-BR message, and what was typed stays on the form.
        var refused = await browser.SubmitForm("/setup", "form", new()
        {
            ["Input.CompanyName"] = "Padaria Pão de Açúcar", ["Input.AdminName"] = "Joana", ["Input.AdminEmail"] = "joana@padaria.com.br", ["Input.AdminPassword"] = "curta",
        });
        Assert.Equal(HttpStatusCode.OK, refused.StatusCode);
        var page = await HtmlClient.Parse(refused);
        Assert.Contains("A senha deve ter pelo menos 10 caracteres.", page.Body!.TextContent, StringComparison.Ordinal);
        Assert.Equal("Padaria Pão de Açúcar", ((AngleSharp.Html.Dom.IHtmlInputElement)page.QuerySelector("#Input_CompanyName")!).Value);

        // Every mistake is reported at once: a bad e-mail does not hide the short password.
        var both = await HtmlClient.Parse(await browser.SubmitForm("/setup", "form", new()
        {
            ["Input.CompanyName"] = "Padaria Pão de Açúcar", ["Input.AdminName"] = "", ["Input.AdminEmail"] = "joana@", ["Input.AdminPassword"] = "curta",
        }));
        Assert.Contains("E-mail inválido: joana@.", both.Body!.TextContent, StringComparison.Ordinal);
        Assert.Contains("A senha deve ter pelo menos 10 caracteres.", both.Body!.TextContent, StringComparison.Ordinal);
        Assert.Contains("Seu nome é obrigatório.", both.Body!.TextContent, StringComparison.Ordinal);

        var done = await browser.SubmitForm("/setup", "form", new()
        {
            ["Input.CompanyName"] = "Padaria Pão de Açúcar", ["Input.AdminName"] = "Joana", ["Input.AdminEmail"] = "joana@padaria.com.br", ["Input.AdminPassword"] = "uma-senha-longa",
        });
        Assert.Equal(HttpStatusCode.Redirect, done.StatusCode);
        var home = await browser.GetPage("/");
        Assert.Contains("Padaria Pão de Açúcar", home.Body!.TextContent, StringComparison.Ordinal);

        // Setup is closed for good: the page sends to login, the API refuses.
        using var anonymous = app.Browser();
        var again = await anonymous.GetAsync("/setup", TestContext.Current.CancellationToken);
        Assert.Equal("/login", again.Headers.Location?.OriginalString);
        using var api = app.Api();
        var second = await api.PostAsJsonAsync("/api/v1/setup", new { companyName = "Outra", adminName = "X", adminEmail = "x@x.com", adminPassword = "outra-senha-longa" }, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Conflict, second.StatusCode);
        Assert.Equal("application/problem+json", second.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Setup_seeds_pt_BR_defaults_and_returns_a_working_token()
    {
        await using var app = await TestApp.Start(provider);
        var token = await app.Setup();
        using var api = app.Api(token);
        var channels = await api.GetFromJsonAsync<ListResponse>("/api/v1/settings/channels", TestContext.Current.CancellationToken);
        Assert.Contains(channels!.Items, c => c.Name == "WhatsApp");
        var company = await api.GetFromJsonAsync<System.Text.Json.Nodes.JsonObject>("/api/v1/settings/company", TestContext.Current.CancellationToken);
        Assert.Equal("America/Sao_Paulo", company!["timeZone"]!.GetValue<string>());
        Assert.Equal("BRL", company["currency"]!.GetValue<string>());
    }

    [Fact]
    public async Task Demo_fills_an_empty_database_with_valid_distinct_partners_and_skips_setup()
    {
        await using var app = await TestApp.Start(provider, new() { ["Atende:Demo"] = "true" });
        using var scope = app.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<AtendeDb>();
        var ct = TestContext.Current.CancellationToken;
        Assert.Equal(3, await db.Users.CountAsync(u => u.Role != UserRole.Portal, ct));
        // One customer in the portal, with the requests they opened there (and a public reply on one).
        var customer = await db.Users.SingleAsync(u => u.Role == UserRole.Portal, ct);
        Assert.True(customer.SeesCompanyRequests);
        Assert.Equal(2, await db.Tickets.CountAsync(t => t.CreatedById == customer.Id && t.Origin == Atende.Core.Tickets.TicketOrigin.Portal, ct));
        Assert.NotNull((await db.CompanyProfiles.SingleAsync(ct)).PortalPipelineId);
        Assert.Equal(2, await db.Workspaces.CountAsync(ct));
        var partners = await db.Partners.Include(p => p.Contacts).ToListAsync(ct);
        Assert.Equal(60, partners.Count);
        Assert.All(partners, p => Assert.Null(Atende.Core.Partners.TaxId.Parse(p.Code).Error));
        Assert.Equal(partners.Count, partners.Select(p => p.CodeKey).Distinct().Count());
        Assert.All(partners, p => Assert.NotEmpty(p.Contacts));
        Assert.DoesNotContain(partners, p => p.Name.Contains(" and ", StringComparison.Ordinal));

        // A filled database is set up: the first visit goes to login, not to setup.
        using var browser = app.Browser();
        var first = await browser.GetAsync("/", ct);
        Assert.Contains("/login", first.Headers.Location!.OriginalString, StringComparison.Ordinal);
    }

    private sealed record ListItem(long Id, string Name, bool Active);
    private sealed record ListResponse(List<ListItem> Items, string? Next);
}

public sealed class SetupTestsSqlite() : SetupTests("Sqlite");

public sealed class SetupTestsPostgres() : SetupTests("Postgres");
