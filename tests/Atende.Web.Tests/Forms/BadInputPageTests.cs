using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Atende.Web.Tests.Infrastructure;
using Atende.Web.Tests.Tickets;
using static Atende.Web.Tests.Settings.PageHelpers;

namespace Atende.Web.Tests.Forms;

/// <summary>The pages' side of bad input: refused with a message on the page, never the 500 page.</summary>
public abstract class BadInputPageTests(AppFixture fixture)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_name_of_zero_width_spaces_is_refused_on_the_form_which_keeps_what_was_typed()
    {
        using var admin = await fixture.App.LoggedIn();
        var invisible = "\u200B\u2060\uFEFF";
        var refused = await admin.SubmitForm("/settings/workspaces", "form[action$='handler=Create']", new() { ["New.Name"] = invisible });
        Assert.Equal(HttpStatusCode.OK, refused.StatusCode);
        var page = await HtmlClient.Parse(refused);
        Assert.Equal("Nome do domínio é obrigatório.", FieldError(page, "New.Name"));
        Assert.Equal(invisible, Value(page, "#new-name"));
    }

    [Fact]
    public async Task A_bad_cursor_in_a_list_page_shows_the_list_from_the_start()
    {
        using var admin = await fixture.App.LoggedIn();
        var cursor = Convert.ToBase64String(Encoding.UTF8.GetBytes("[\"\\u0000\",\"1\"]")).TrimEnd('=');
        foreach (var url in new[] { $"/settings/users?after={cursor}", "/settings/users?after=%5Bnull%2C%221%22%5D" })
        {
            var page = await admin.GetPage(url);
            Assert.Contains(TestApp.AdminEmail, Text(page), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task A_date_that_overflows_in_the_conversation_form_is_ignored_and_in_the_agenda_refused()
    {
        var api = fixture.App.Api(fixture.AdminToken);
        var ws = await fixture.App.CreateWorkspace(fixture.AdminToken, TicketSteps.Unique("Domínio Agenda"));
        var partner = await Conversations.ConversationData.Partner(api, ws, TicketSteps.Unique("Padaria Agenda"));
        var conversation = await Conversations.ConversationData.Conversation(api, partner);
        using var admin = await fixture.App.LoggedIn();
        foreach (var at in new[] { "9999-12-31T23:30", "0001-01-01", "9999-12-31T23:30:00-03:00" })
        {
            // The new-conversation form opened from the agenda at that time: it opens with the current time instead.
            var page = await admin.GetPage($"/conversations/new?partnerId={partner}&at={Uri.EscapeDataString(at)}");
            Assert.DoesNotContain("9999", Value(page, "input[name='Input.At']"), StringComparison.Ordinal);
        }
        var agenda = await admin.GetPage("/agenda");
        var token = agenda.QuerySelector("input[name='__RequestVerificationToken']")!.GetAttribute("value")!;
        var moved = await admin.PostAsync("/agenda?handler=Reschedule", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["id"] = conversation["id"]!.ToString(), ["version"] = "1", ["at"] = "9999-12-31T23:30", ["__RequestVerificationToken"] = token,
        }), Ct);
        Assert.Equal(HttpStatusCode.BadRequest, moved.StatusCode);
        var message = System.Text.Json.Nodes.JsonNode.Parse(await moved.Content.ReadAsStringAsync(Ct))!["message"]!.GetValue<string>();
        Assert.Equal("Data e hora inválidas.", message);
    }

    [Fact]
    public async Task A_truncated_upload_on_the_ticket_page_shows_the_message_with_400()
    {
        var api = fixture.App.Api(fixture.AdminToken);
        var ws = await fixture.App.CreateWorkspace(fixture.AdminToken, TicketSteps.Unique("Domínio Página"));
        var (partner, contact) = await TicketSteps.Partner(api, ws, TicketSteps.Unique("Padaria Página"), "Contato");
        var pipeline = (await TicketSteps.Pipeline(api))["id"]!.GetValue<long>();
        var ticket = (await TicketSteps.Ticket(api, pipeline, partner, contact, "Envio cortado"))["id"]!.GetValue<long>();
        using var admin = await fixture.App.LoggedIn();
        var truncated = new ByteArrayContent(Encoding.UTF8.GetBytes("--b\r\nContent-Disposition: form-data; name=\"files\"; filename=\"a.txt\"\r\n\r\nmeio arq"));
        truncated.Headers.ContentType = MediaTypeHeaderValue.Parse("multipart/form-data; boundary=b");
        var response = await admin.PostAsync($"/tickets/{ticket}?handler=Upload", truncated, Ct);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("O envio chegou incompleto ou malformado. Envie os arquivos de novo.", Text(await HtmlClient.Parse(response)), StringComparison.Ordinal);
    }
}

public sealed class BadInputPageTestsSqlite(SqliteFixture fixture) : BadInputPageTests(fixture), IClassFixture<SqliteFixture>;

public sealed class BadInputPageTestsPostgres(PostgresFixture fixture) : BadInputPageTests(fixture), IClassFixture<PostgresFixture>;
