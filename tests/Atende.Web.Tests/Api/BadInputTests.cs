using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Atende.Web.Tests.Infrastructure;
using Atende.Web.Tests.Tickets;
using static Atende.Web.Tests.Conversations.ConversationData;

namespace Atende.Web.Tests.Api;

/// <summary>Inputs an outside probe sent that crashed requests: each is now a 400 naming the field (or a 409), never a 500.</summary>
public abstract class BadInputTests(AppFixture fixture)
{
    private TestApp App => fixture.App;

    private static string Base64(string json) => Convert.ToBase64String(Encoding.UTF8.GetBytes(json)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static async Task AssertFieldError(HttpResponseMessage response, string field, string? message = null)
    {
        var problem = await TicketSteps.Problem(response, HttpStatusCode.BadRequest);
        var errors = problem["errors"]![field];
        Assert.True(errors is not null, $"no error on \"{field}\": {problem.ToJsonString()}");
        if (message is not null)
        {
            Assert.Equal(message, errors![0]!.GetValue<string>());
        }
    }

    [Fact]
    public async Task Bad_keyset_cursors_on_every_list_are_400_naming_after()
    {
        var api = App.Api(fixture.AdminToken);
        var ws = await App.CreateWorkspace(fixture.AdminToken, Unique("Domínio Cursores"));
        var (partner, contact) = await TicketSteps.Partner(api, ws, Unique("Padaria Cursor"), "Contato");
        await TicketSteps.Partner(api, ws, Unique("Mercado Cursor"), "Contato");
        var pipeline = (await TicketSteps.Pipeline(api))["id"]!.GetValue<long>();
        var ticket = (await TicketSteps.Ticket(api, pipeline, partner, contact, "Primeiro"))["id"]!.GetValue<long>();
        await TicketSteps.Ticket(api, pipeline, partner, contact, "Segundo");
        await Conversation(api, partner);
        await Conversation(api, partner);

        // Valid cursors of one list, or of one order, are not cursors of another.
        var partnerCursor = (await Json(await api.GetAsync("/api/v1/partners?limit=1", Ct), HttpStatusCode.OK))["next"]!.GetValue<string>();
        var titleCursor = (await Json(await api.GetAsync($"/api/v1/tickets?pipelineId={pipeline}&sort=title&limit=1", Ct), HttpStatusCode.OK))["next"]!.GetValue<string>();
        var bad = new[]
        {
            Base64("[null,\"1\"]"), Base64("[\"\\u0000\",\"1\"]"), Base64("[\"a\\u0000b\",\"1\"]"), Base64("[\"\",\"" + new string('9', 35) + "\"]"),
            Base64("[\"\\ud800\",\"1\"]"), Base64("[\"\",\"-1\"]"), "%00", "não-é-base64", new string('9', 35),
        };
        var lists = new[]
        {
            $"/api/v1/tickets?pipelineId={pipeline}", $"/api/v1/tickets?pipelineId={pipeline}&sort=updatedAt", $"/api/v1/tickets?pipelineId={pipeline}&sort=value",
            $"/api/v1/tickets?pipelineId={pipeline}&sort=status", "/api/v1/partners", "/api/v1/conversations", "/api/v1/users", $"/api/v1/tickets/{ticket}/history",
            "/api/v1/outbox", "/api/v1/notifications", "/api/v1/settings/email-templates", "/api/v1/inbound-emails",
        };
        var accepted = new List<string>();
        foreach (var list in lists)
        {
            foreach (var after in bad)
            {
                var response = await api.GetAsync(list + (list.Contains('?', StringComparison.Ordinal) ? "&" : "?") + "after=" + Uri.EscapeDataString(after), Ct);
                var body = await response.Content.ReadAsStringAsync(Ct);
                if (response.StatusCode != HttpStatusCode.BadRequest || JsonNode.Parse(body)!["errors"]?["after"]?[0]?.GetValue<string>() != "Cursor de paginação inválido.")
                {
                    accepted.Add($"{list} after={after}: {(int)response.StatusCode} {body[..Math.Min(body.Length, 200)]}");
                }
            }
        }
        Assert.Empty(accepted);
        // A number where an instant or an amount is the key (a 35-digit one overflows both).
        var huge = Base64("[\"" + new string('9', 35) + "\",\"1\"]");
        await AssertFieldError(await api.GetAsync($"/api/v1/conversations?after={huge}", Ct), "after");
        await AssertFieldError(await api.GetAsync($"/api/v1/tickets?pipelineId={pipeline}&sort=value&after={huge}", Ct), "after");
        await AssertFieldError(await api.GetAsync($"/api/v1/tickets?pipelineId={pipeline}&sort=createdAt&after={huge}", Ct), "after");
        await AssertFieldError(await api.GetAsync($"/api/v1/conversations?after={partnerCursor}", Ct), "after");
        await AssertFieldError(await api.GetAsync($"/api/v1/tickets?pipelineId={pipeline}&after={titleCursor}", Ct), "after");
        await AssertFieldError(await api.GetAsync($"/api/v1/tickets/{ticket}/history?after={partnerCursor}", Ct), "after");
    }

    [Fact]
    public async Task Dates_that_overflow_when_converted_are_400_naming_the_field()
    {
        var api = App.Api(fixture.AdminToken);
        var ws = await App.CreateWorkspace(fixture.AdminToken, Unique("Domínio Datas"));
        var partner = await Partner(api, ws, Unique("Padaria Datas"));
        var pipeline = (await TicketSteps.Pipeline(api))["id"]!.GetValue<long>();

        await AssertFieldError(await api.GetAsync($"/api/v1/tickets?pipelineId={pipeline}&q=31/12/9999", Ct), "q", "Data fora do intervalo aceito: 31/12/9999.");
        await AssertFieldError(await api.GetAsync("/api/v1/agenda/events?start=0001-01-01&end=2026-01-01", Ct), "start");
        await AssertFieldError(await api.GetAsync("/api/v1/agenda/events?start=2026-01-01&end=9999-12-31", Ct), "end");
        await AssertFieldError(await api.GetAsync("/api/v1/agenda/events?start=0001-01-01T00:00:00%2B05:00&end=2026-01-01", Ct), "start");
        await AssertFieldError(await api.GetAsync("/api/v1/conversations?from=9999-12-31T23:30", Ct), "from");
        var body = new { partnerId = partner, channelId = 1, opportunityTypeId = 1, subject = "S", description = "D", at = "9999-12-31T23:30" };
        await AssertFieldError(await api.PostAsJsonAsync("/api/v1/conversations", body, Ct), "at");
    }

    [Theory]
    [InlineData("\u200B")]
    [InlineData("\u200B\u200C\u200D\u2060\uFEFF")]
    [InlineData("\u00A0\u200B \u3000")]
    public async Task A_required_name_made_of_invisible_characters_is_empty(string invisible)
    {
        var api = App.Api(fixture.AdminToken);
        await AssertFieldError(await api.PostAsJsonAsync("/api/v1/workspaces", new { name = invisible }, Ct), "name", "Nome do domínio é obrigatório.");
        var ws = await App.CreateWorkspace(fixture.AdminToken, Unique("Domínio Invisível"));
        await AssertFieldError(await api.PostAsJsonAsync("/api/v1/partners", new { name = invisible, workspaceId = ws }, Ct), "name");
        var partner = await Partner(api, ws, Unique("Padaria Visível"));
        await AssertFieldError(await api.PostAsJsonAsync($"/api/v1/partners/{partner}/contacts", new { name = invisible }, Ct), "name");
        await AssertFieldError(await api.PostAsJsonAsync("/api/v1/settings/channels", new { name = invisible }, Ct), "name");
        var pipeline = (await TicketSteps.Pipeline(api))["id"]!.GetValue<long>();
        await AssertFieldError(await api.PostAsJsonAsync($"/api/v1/pipelines/{pipeline}/tags", new { name = invisible }, Ct), "name");
        await AssertFieldError(await api.PostAsJsonAsync("/api/v1/tickets", new { pipelineId = pipeline, partnerId = partner, title = invisible }, Ct), "title");
        await AssertFieldError(await api.PostAsJsonAsync("/api/v1/conversations",
            new { partnerId = partner, channelId = 1, opportunityTypeId = 1, subject = invisible, description = invisible }, Ct), "subject");
    }

    [Fact]
    public async Task A_truncated_or_empty_multipart_upload_is_400_naming_files()
    {
        var api = App.Api(fixture.AdminToken);
        var ws = await App.CreateWorkspace(fixture.AdminToken, Unique("Domínio Envio"));
        var (partner, contact) = await TicketSteps.Partner(api, ws, Unique("Padaria Envio"), "Contato");
        var pipeline = (await TicketSteps.Pipeline(api))["id"]!.GetValue<long>();
        var ticket = (await TicketSteps.Ticket(api, pipeline, partner, contact, "Com anexo"))["id"]!.GetValue<long>();
        var conversation = (await Conversation(api, partner))["id"]!.GetValue<long>();
        foreach (var url in new[] { "/api/v1/files", $"/api/v1/tickets/{ticket}/attachments", $"/api/v1/tickets/{ticket}/interactions", $"/api/v1/conversations/{conversation}/attachments" })
        {
            var truncated = new ByteArrayContent(Encoding.UTF8.GetBytes("--b\r\nContent-Disposition: form-data; name=\"files\"; filename=\"a.txt\"\r\n\r\nmeio arq"));
            truncated.Headers.ContentType = MediaTypeHeaderValue.Parse("multipart/form-data; boundary=b");
            await AssertFieldError(await api.PostAsync(url, truncated, Ct), "files", "O envio chegou incompleto ou malformado. Envie os arquivos de novo.");
        }
    }

    [Fact]
    public async Task Two_parallel_attaches_of_one_uploaded_file_attach_it_once_and_refuse_the_other_without_500()
    {
        var api = App.Api(fixture.AdminToken);
        var ws = await App.CreateWorkspace(fixture.AdminToken, Unique("Domínio Paralelo"));
        var (partner, contact) = await TicketSteps.Partner(api, ws, Unique("Padaria Paralela"), "Contato");
        var pipeline = (await TicketSteps.Pipeline(api))["id"]!.GetValue<long>();
        for (var round = 0; round < 5; round++)
        {
            var tickets = new[]
            {
                (await TicketSteps.Ticket(api, pipeline, partner, contact, "Um"))["id"]!.GetValue<long>(),
                (await TicketSteps.Ticket(api, pipeline, partner, contact, "Outro"))["id"]!.GetValue<long>(),
            };
            using var upload = new MultipartFormDataContent { { new ByteArrayContent(Encoding.UTF8.GetBytes("conteúdo")), "files", "nota.txt" } };
            var file = (await Json(await api.PostAsync("/api/v1/files", upload, Ct), HttpStatusCode.Created))["items"]![0]!["id"]!.GetValue<long>();
            var answers = await Task.WhenAll(tickets.Select(async id =>
            {
                var response = await api.PostAsJsonAsync($"/api/v1/tickets/{id}/interactions", new { body = "Segue o arquivo.", @internal = true, fileIds = new[] { file } }, Ct);
                return (response.StatusCode, Body: await response.Content.ReadAsStringAsync(Ct));
            }));
            Assert.Single(answers, a => a.StatusCode == HttpStatusCode.Created);
            var loser = Assert.Single(answers, a => a.StatusCode != HttpStatusCode.Created);
            Assert.True(loser.StatusCode is HttpStatusCode.Conflict or HttpStatusCode.BadRequest, $"{(int)loser.StatusCode}: {loser.Body}");
            var problem = JsonNode.Parse(loser.Body)!;
            Assert.Equal((int)loser.StatusCode, problem["status"]!.GetValue<int>());
        }
    }
}

public sealed class BadInputTestsSqlite(SqliteFixture fixture) : BadInputTests(fixture), IClassFixture<SqliteFixture>;

public sealed class BadInputTestsPostgres(PostgresFixture fixture) : BadInputTests(fixture), IClassFixture<PostgresFixture>;
