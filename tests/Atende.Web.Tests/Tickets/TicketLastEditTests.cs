using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using AngleSharp.Html.Dom;
using Atende.Web.Tests.Infrastructure;

namespace Atende.Web.Tests.Tickets;

/// <summary>
/// A stale save names the last edit (the change that moved the version), not a later interaction; posting an interaction
/// answers its row without reading the ticket's whole timeline.
/// </summary>
public abstract class TicketLastEditTests(AppFixture fixture)
{
    private TestApp App => fixture.App;
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private sealed record World(HttpClient Api, long TicketId, string BrunoEmail, string BrunoToken, string CarlaEmail, string CarlaToken);

    /// <summary>A ticket in a pipeline Bruno and Carla (agents) work in; the admin plays Ana.</summary>
    private async Task<World> Setup()
    {
        var api = App.Api(fixture.AdminToken);
        var ws = await App.CreateWorkspace(fixture.AdminToken, TicketSteps.Unique("Domínio"));
        var bruno = $"bruno{Guid.NewGuid():N}@test.com.br";
        var carla = $"carla{Guid.NewGuid():N}@test.com.br";
        var (brunoId, brunoToken) = await App.CreateUser(fixture.AdminToken, bruno, "Agent", ws);
        var (carlaId, carlaToken) = await App.CreateUser(fixture.AdminToken, carla, "Agent", ws);
        var pipeline = await TicketSteps.Pipeline(api, users: [brunoId, carlaId]);
        var (partnerId, _) = await TicketSteps.Partner(api, ws, TicketSteps.Unique("Mercado Bom Preço"), "João");
        var ticket = await TicketSteps.Ticket(api, pipeline["id"]!.GetValue<long>(), partnerId, null, "Entrega atrasada");
        return new World(api, ticket["id"]!.GetValue<long>(), bruno, brunoToken, carla, carlaToken);
    }

    [Fact]
    public async Task A_stale_form_names_who_changed_the_status_not_who_added_an_interaction_later()
    {
        var w = await Setup();
        var url = $"/tickets/{w.TicketId}";
        using var ana = await App.LoggedIn();
        var anaForm = (IHtmlFormElement)(await ana.GetPage(url)).QuerySelector("form[data-tag-drop-form]")!;

        using var bruno = await App.LoggedIn(w.BrunoEmail);
        Assert.Equal(HttpStatusCode.Redirect, (await bruno.SubmitForm(url, "#quick-status-form", new() { ["status"] = "Analyzing" })).StatusCode);
        var edited = await TicketSteps.Json(await w.Api.GetAsync($"/api/v1/tickets/{w.TicketId}", Ct), HttpStatusCode.OK);

        using var carla = await App.LoggedIn(w.CarlaEmail);
        var carlaPage = await carla.GetPage(url);
        var posted = await carla.Submit((IHtmlFormElement)carlaPage.QuerySelector("#nova-interacao")!, url, new() { ["body"] = "Liguei para o cliente." });
        Assert.Equal(HttpStatusCode.Redirect, posted.StatusCode);

        var response = await ana.Submit(anaForm, url, new() { ["Input.Title"] = "Entrega atrasada (urgente)" });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var message = (await HtmlClient.Parse(response)).QuerySelector(".alert-warning:not(.address-banner):not([hidden])")!.TextContent;
        Assert.Contains($"alterado por Usuário {w.BrunoEmail} em {await Local(w.Api, edited["updatedAt"]!.GetValue<DateTimeOffset>())}", message, StringComparison.Ordinal);
        Assert.DoesNotContain(w.CarlaEmail, message, StringComparison.Ordinal);

        // The interaction still counts as activity: Última atualização moved past Bruno's edit.
        var now = await TicketSteps.Json(await w.Api.GetAsync($"/api/v1/tickets/{w.TicketId}", Ct), HttpStatusCode.OK);
        Assert.True(now["updatedAt"]!.GetValue<DateTimeOffset>() > edited["updatedAt"]!.GetValue<DateTimeOffset>());
    }

    [Fact]
    public async Task A_stale_api_update_names_the_last_edit_and_an_interaction_still_moves_updatedAt()
    {
        var w = await Setup();
        var url = $"/api/v1/tickets/{w.TicketId}";
        var anaEtag = (await w.Api.GetAsync(url, Ct)).Headers.ETag!.Tag;

        using var bruno = App.Api(w.BrunoToken);
        var edited = await TicketSteps.Json(await TicketSteps.Patch(bruno, url, new { status = "Analyzing" }, anaEtag), HttpStatusCode.OK);
        using var carla = App.Api(w.CarlaToken);
        await TicketSteps.Json(await carla.PostAsJsonAsync($"{url}/interactions", new { body = "Liguei para o cliente." }, Ct), HttpStatusCode.Created);

        var stale = await TicketSteps.Problem(await TicketSteps.Patch(w.Api, url, new { title = "Entrega atrasada (urgente)" }, anaEtag), HttpStatusCode.PreconditionFailed);
        var detail = stale["detail"]!.GetValue<string>();
        Assert.Contains($"alterado por Usuário {w.BrunoEmail} em {await Local(w.Api, edited["updatedAt"]!.GetValue<DateTimeOffset>())}", detail, StringComparison.Ordinal);
        Assert.DoesNotContain(w.CarlaEmail, detail, StringComparison.Ordinal);

        var now = await TicketSteps.Json(await w.Api.GetAsync(url, Ct), HttpStatusCode.OK);
        Assert.True(now["updatedAt"]!.GetValue<DateTimeOffset>() > edited["updatedAt"]!.GetValue<DateTimeOffset>());
        Assert.Equal(edited["version"]!.GetValue<int>(), now["version"]!.GetValue<int>());
        var first = (await TicketSteps.Json(await w.Api.GetAsync($"/api/v1/tickets?pipelineId={edited["pipelineId"]}&sort=-updatedAt", Ct), HttpStatusCode.OK))["items"]!.AsArray()[0]!;
        Assert.Equal(w.TicketId, first["id"]!.GetValue<long>());
    }

    [Fact]
    public async Task Posting_an_interaction_reads_only_the_new_row_however_long_the_timeline()
    {
        var w = await Setup();
        var url = $"/api/v1/tickets/{w.TicketId}/interactions";
        for (var i = 1; i <= 50; i++)
        {
            await TicketSteps.Json(await w.Api.PostAsJsonAsync(url, new { body = $"Interação {i}" }, Ct), HttpStatusCode.Created);
        }

        var (row, sql) = await PostRecorded(w.Api, url);
        Assert.Equal("<p>Segue a planilha</p>", row["body"]!.GetValue<string>());
        Assert.Equal("planilha.pdf", row["attachments"]!.AsArray().Single()!["fileName"]!.GetValue<string>());
        var timeline = sql.Where(s => s.Contains("FROM \"Interactions\"", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(timeline);
        Assert.All(timeline, s => Assert.Contains(".\"Id\" = @", s, StringComparison.Ordinal));
        // The ticket's attachments are read for the new interaction only (the file check looks one file up, by its id).
        var files = sql.Where(s => s.Contains("FROM \"TicketAttachments\"", StringComparison.Ordinal) && s.Contains(".\"TicketId\" = @", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(files);
        Assert.All(files, s => Assert.Contains(".\"InteractionId\" = @", s, StringComparison.Ordinal));

        // The same post to a ticket with one interaction runs as many commands (besides the node's cache reads).
        var one = await Setup();
        var oneUrl = $"/api/v1/tickets/{one.TicketId}/interactions";
        await TicketSteps.Json(await one.Api.PostAsJsonAsync(oneUrl, new { body = "Interação 1" }, Ct), HttpStatusCode.Created);
        var (_, oneSql) = await PostRecorded(one.Api, oneUrl);
        Assert.Equal(oneSql.Count(s => !SqlCommands.IsNodeCacheRead(s)), sql.Count(s => !SqlCommands.IsNodeCacheRead(s)));
    }

    /// <summary>Posts an interaction with a file and returns its answer and the SQL the app ran meanwhile.</summary>
    private async Task<(JsonObject Row, List<string> Sql)> PostRecorded(HttpClient api, string url)
    {
        var multipart = new MultipartFormDataContent();
        var file = new ByteArrayContent(Encoding.ASCII.GetBytes("%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF\n"));
        file.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        multipart.Add(file, "files", "planilha.pdf");
        multipart.Add(new StringContent("<p>Segue a planilha</p>"), "body");
        var recording = App.Sql.Record();
        try
        {
            var row = await TicketSteps.Json(await api.PostAsync(url, multipart, Ct), HttpStatusCode.Created);
            return (row, recording.ToList());
        }
        finally
        {
            App.Sql.Stop();
        }
    }

    /// <summary>"22/11/2026 às 14:30" in the company's time zone, as the stale message writes it.</summary>
    private static async Task<string> Local(HttpClient api, DateTimeOffset at)
    {
        var company = await TicketSteps.Json(await api.GetAsync("/api/v1/settings/company", Ct), HttpStatusCode.OK);
        var local = TimeZoneInfo.ConvertTime(at, TimeZoneInfo.FindSystemTimeZoneById(company["timeZone"]!.GetValue<string>()));
        return $"{local:dd/MM/yyyy} às {local:HH:mm}";
    }
}

public sealed class TicketLastEditTestsSqlite(SqliteFixture fixture) : TicketLastEditTests(fixture), IClassFixture<SqliteFixture>;

public sealed class TicketLastEditTestsPostgres(PostgresFixture fixture) : TicketLastEditTests(fixture), IClassFixture<PostgresFixture>;
