using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using AngleSharp;
using AngleSharp.Html.Dom;
using AngleSharp.Html.Parser;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Xunit;

namespace Atende.Web.Tests.Infrastructure;

/// <summary>
/// The real app over HTTP, on a fresh database: a SQLite file of its own, or a PostgreSQL database created
/// for it on the server of ATENDE_TEST_POSTGRES (and dropped afterwards).
/// </summary>
public sealed class TestApp : WebApplicationFactory<Program>
{
    public const string AdminEmail = "admin@test.com.br";
    public const string Password = "senha-de-teste-123";

    private readonly string _directory = Path.Combine(Path.GetTempPath(), "atende-tests", Guid.NewGuid().ToString("N"));
    private readonly string? _postgresDatabase;
    private readonly string? _postgresServer;

    private readonly Dictionary<string, string> _settings;
    private readonly Action<IServiceCollection>? _services;

    private TestApp(string provider, string? postgresServer, Dictionary<string, string>? settings, Action<IServiceCollection>? services)
    {
        Provider = provider;
        _settings = settings ?? [];
        _services = services;
        Directory.CreateDirectory(_directory);
        if (provider == "Postgres")
        {
            _postgresServer = postgresServer;
            _postgresDatabase = "atende_test_" + Guid.NewGuid().ToString("N")[..12];
        }
    }

    public string Provider { get; }

    /// <summary>Records the SQL the app runs, on request.</summary>
    public SqlCommands Sql { get; } = new();

    public string? ConnectionString => _postgresDatabase is null
        ? null
        : new NpgsqlConnectionStringBuilder(_postgresServer) { Database = _postgresDatabase }.ToString();

    /// <summary>The PostgreSQL server for tests, or null (then PostgreSQL tests skip, unless services are required).</summary>
    public static string? PostgresServer => Environment.GetEnvironmentVariable("ATENDE_TEST_POSTGRES");

    public static bool ServicesRequired => Environment.GetEnvironmentVariable("ATENDE_REQUIRE_SERVICES") == "1";

    /// <summary>The PostgreSQL server of ATENDE_TEST_POSTGRES; without it the test skips, or fails when services are required.</summary>
    public static string RequirePostgres()
    {
        var server = PostgresServer;
        if (string.IsNullOrWhiteSpace(server))
        {
            if (ServicesRequired)
            {
                Assert.Fail("ATENDE_REQUIRE_SERVICES=1 but ATENDE_TEST_POSTGRES is not set.");
            }
            Assert.Skip("PostgreSQL not configured: set ATENDE_TEST_POSTGRES to a connection string to run these tests.");
        }
        return server;
    }

    /// <param name="settings">Extra configuration, e.g. <c>["Atende:Demo"] = "true"</c>.</param>
    /// <param name="services">Extra services for the test, e.g. an <c>IStartupFilter</c> in front of the app's pipeline.</param>
    public static async Task<TestApp> Start(string provider, Dictionary<string, string>? settings = null, Action<IServiceCollection>? services = null)
    {
        var server = provider == "Postgres" ? RequirePostgres() : null;
        var app = new TestApp(provider, server, settings, services);
        if (app._postgresDatabase is not null)
        {
            await using var connection = new NpgsqlConnection(server);
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"CREATE DATABASE \"{app._postgresDatabase}\"", connection);
            await command.ExecuteNonQueryAsync();
        }
        _ = app.Server;
        return app;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.UseSetting("Atende:DataPath", _directory);
        builder.UseSetting("Atende:Database:Provider", Provider);
        // As a deployment should be: the test server's host listed, so links in e-mails may use it (settings may override).
        builder.UseSetting("AllowedHosts", "localhost");
        if (ConnectionString is not null)
        {
            builder.UseSetting("ConnectionStrings:Atende", ConnectionString);
        }
        // Tests sign in far more often than a person, all from one address: the per-address limits stay out of their way
        // unless a fixture sets them (the rate-limit tests do).
        builder.UseSetting("Atende:RateLimits:LoginPerMinute", "100000");
        builder.UseSetting("Atende:RateLimits:ForgotPasswordPerMinute", "100000");
        builder.UseSetting("Atende:RateLimits:AccountLinkPerMinute", "100000");
        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }
        builder.ConfigureServices(services => services.ConfigureDbContext<Atende.Core.Data.AtendeDb>(o => o.AddInterceptors(Sql)));
        if (_services is not null)
        {
            builder.ConfigureServices(_services);
        }
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        if (_postgresDatabase is not null)
        {
            NpgsqlConnection.ClearAllPools();
            await using var connection = new NpgsqlConnection(_postgresServer);
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{_postgresDatabase}\" WITH (FORCE)", connection);
            await command.ExecuteNonQueryAsync();
        }
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
        }
        GC.SuppressFinalize(this);
    }

    /// <summary>An HTTP client that keeps cookies and does not follow redirects (so tests see them).</summary>
    public HttpClient Browser() => CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });

    public HttpClient Api(string? token = null)
    {
        var client = CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });
        if (token is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }
        return client;
    }

    /// <summary>Runs first-run setup through the API and returns the admin's token.</summary>
    public async Task<string> Setup(string company = "Empresa de Teste Ltda")
    {
        using var client = Api();
        var response = await client.PostAsJsonAsync("/api/v1/setup", new { companyName = company, adminName = "Administradora Teste", adminEmail = AdminEmail, adminPassword = Password });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!["token"]!.GetValue<string>();
    }

    public async Task<long> CreateWorkspace(string adminToken, string name)
    {
        using var client = Api(adminToken);
        var response = await client.PostAsJsonAsync("/api/v1/workspaces", new { name });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<long>();
    }

    /// <summary>Creates a user through the API and returns (id, token).</summary>
    public async Task<(long Id, string Token)> CreateUser(string adminToken, string email, string role, params long[] workspaceIds)
    {
        using var client = Api(adminToken);
        var response = await client.PostAsJsonAsync("/api/v1/users", new { name = "Usuário " + email, email, role, workspaceIds, password = Password });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var id = (await response.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<long>();
        return (id, await Token(email, Password));
    }

    public async Task<string> Token(string email, string password)
    {
        using var client = Api();
        var response = await client.PostAsJsonAsync("/api/v1/tokens", new { email, password });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!["token"]!.GetValue<string>();
    }

    /// <summary>Logs a browser-like client in through the login form.</summary>
    public async Task<HttpClient> LoggedIn(string email = AdminEmail, string password = Password)
    {
        var browser = Browser();
        var response = await browser.SubmitForm("/login", "form", new() { ["Input.Email"] = email, ["Input.Password"] = password });
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        return browser;
    }
}

public static class HtmlClient
{
    private static readonly HtmlParser Parser = new();

    public static async Task<IHtmlDocument> GetPage(this HttpClient client, string url)
    {
        var response = await client.GetAsync(url);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET {url} answered {(int)response.StatusCode}");
        return await Parse(response);
    }

    public static async Task<IHtmlDocument> Parse(HttpResponseMessage response) =>
        await Parser.ParseDocumentAsync(await response.Content.ReadAsStringAsync());

    /// <summary>
    /// Loads a page, fills the form matched by <paramref name="formSelector"/> (keeping its hidden fields, the
    /// anti-forgery token included), overrides the given values and posts it, as a browser would.
    /// </summary>
    public static async Task<HttpResponseMessage> SubmitForm(this HttpClient client, string url, string formSelector, Dictionary<string, string> values, string? submitName = null, string? submitValue = null)
    {
        var page = await client.GetPage(url);
        var form = page.QuerySelector(formSelector) as IHtmlFormElement ?? throw new InvalidOperationException($"No form '{formSelector}' on {url}");
        return await client.Submit(form, url, values, submitName, submitValue);
    }

    /// <param name="formAction">The pressed button's formaction, when it posts elsewhere than the form's action.</param>
    public static async Task<HttpResponseMessage> Submit(this HttpClient client, IHtmlFormElement form, string pageUrl, Dictionary<string, string> values, string? submitName = null, string? submitValue = null, string? formAction = null)
    {
        var fields = new List<KeyValuePair<string, string>>();
        foreach (var element in form.Elements)
        {
            switch (element)
            {
                case IHtmlInputElement input when !string.IsNullOrEmpty(input.Name) && input.Type is not ("submit" or "button"):
                    if (input.Type is "checkbox" or "radio")
                    {
                        if (input.IsChecked)
                        {
                            fields.Add(new(input.Name, input.Value));
                        }
                    }
                    else
                    {
                        fields.Add(new(input.Name, input.Value));
                    }
                    break;
                case IHtmlSelectElement select when !string.IsNullOrEmpty(select.Name):
                    var selected = select.Options.FirstOrDefault(o => o.IsSelected) ?? select.Options.FirstOrDefault();
                    fields.Add(new(select.Name, selected?.Value ?? ""));
                    break;
                case IHtmlTextAreaElement area when !string.IsNullOrEmpty(area.Name):
                    fields.Add(new(area.Name, area.Value));
                    break;
            }
        }
        foreach (var (name, value) in values)
        {
            fields.RemoveAll(f => f.Key == name);
            fields.Add(new(name, value));
        }
        if (submitName is not null)
        {
            fields.Add(new(submitName, submitValue ?? ""));
        }
        var action = formAction ?? (string.IsNullOrEmpty(form.GetAttribute("action")) ? pageUrl : form.GetAttribute("action")!);
        return await client.PostAsync(action, new FormUrlEncodedContent(fields));
    }
}
