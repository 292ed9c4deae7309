// The same-SQL minimal app: Atende's ticket list (first page of a pipeline, 50 rows, default order, with or without a
// search of words) read with the statements Atende sends (Sql.cs) through plain ADO.NET, no EF, no sign-in, and served as
// JSON shaped like Atende's API and as a plain HTML table. bench/ab-raw.sh measures it against Atende on the same database.
//
//   ConnectionStrings__Atende="Data Source=/tmp/t100k.db" dotnet run -c Release --project bench/Atende.Bench.Raw -- --urls http://127.0.0.1:5301
//   (PostgreSQL: ConnectionStrings__Atende="Host=…;Database=…;Username=…;Password=…")
using Atende.Bench.Raw;

var builder = WebApplication.CreateBuilder(args);
var connectionString = builder.Configuration.GetConnectionString("Atende")
    ?? throw new InvalidOperationException("Set ConnectionStrings__Atende (Data Source=<SQLite file>, or Host=…;Database=… for PostgreSQL).");
builder.Services.AddSingleton(new Database(connectionString));
builder.Services.AddSingleton<TicketQueries>();
var app = builder.Build();

// As Atende's /healthz: one trivial query, "Healthy" as text.
app.MapGet("/healthz", static async (TicketQueries tickets, CancellationToken ct) =>
    await tickets.Healthy(ct) ? Results.Text("Healthy") : Results.StatusCode(503));

app.MapGet("/api/v1/tickets", static async (long pipelineId, string? q, TicketQueries tickets, HttpResponse response, CancellationToken ct) =>
{
    if (await FirstPage(tickets, pipelineId, q, response, ct) is { } page)
    {
        await Render.Json(response, page);
    }
});

app.MapGet("/tickets", static async (long pipelineId, string? q, TicketQueries tickets, HttpResponse response, CancellationToken ct) =>
{
    if (await FirstPage(tickets, pipelineId, q, response, ct) is { } page)
    {
        await Render.Html(response, page, pipelineId, q);
    }
});

app.Run();

// The page, or null after answering 400 for a search this app does not reproduce.
static async Task<TicketPage?> FirstPage(TicketQueries tickets, long pipelineId, string? q, HttpResponse response, CancellationToken ct)
{
    try
    {
        return await tickets.FirstPage(pipelineId, q, 50, ct);
    }
    catch (UnsupportedSearchException e)
    {
        response.StatusCode = StatusCodes.Status400BadRequest;
        await response.WriteAsync(e.Message, ct);
        return null;
    }
}
