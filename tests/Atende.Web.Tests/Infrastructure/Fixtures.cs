namespace Atende.Web.Tests.Infrastructure;

/// <summary>One app per provider and test class, set up with an admin; tests create the data they need.</summary>
public abstract class AppFixture(string provider, Dictionary<string, string>? settings = null) : IAsyncLifetime
{
    private TestApp? _app;
    private string? _adminToken;
    private Exception? _startError;

    public string Provider => provider;

    /// <summary>The running app; skips the test when its provider is not available here.</summary>
    public TestApp App
    {
        get
        {
            if (_startError is not null)
            {
                System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(_startError);
            }
            return _app!;
        }
    }

    public string AdminToken => _ = App is not null ? _adminToken! : "";

    public async ValueTask InitializeAsync()
    {
        try
        {
            _app = await TestApp.Start(provider, settings);
            _adminToken = await Prepare(_app);
        }
        catch (Exception e)
        {
            _startError = e;
        }
    }

    /// <summary>What the app holds before the first test: by default the setup with an admin; returns the admin's token.</summary>
    protected virtual Task<string> Prepare(TestApp app) => app.Setup();

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }
        GC.SuppressFinalize(this);
    }
}

public sealed class SqliteFixture() : AppFixture("Sqlite");

public sealed class PostgresFixture() : AppFixture("Postgres");
