using System.Net;
using AngleSharp.Html.Dom;
using Atende.Web.Tests.Infrastructure;

namespace Atende.Web.Tests.Tickets;

/// <summary>"Vencimento" is typed as "dd/mm/aaaa hh:mm" whatever the browser's language, like every date of the app.</summary>
public abstract class TicketDueDatePageTests(AppFixture fixture)
{
    private TestApp App => fixture.App;
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Vencimento_is_typed_and_shown_as_dd_mm_aaaa_hh_mm_and_a_bad_one_is_refused_naming_the_field()
    {
        var api = App.Api(fixture.AdminToken);
        var ws = await App.CreateWorkspace(fixture.AdminToken, TicketSteps.Unique("Domínio Vencimento"));
        var pipeline = await TicketSteps.Pipeline(api);
        var (partnerId, _) = await TicketSteps.Partner(api, ws, TicketSteps.Unique("Gráfica Prazo Certo"), "Sônia");
        var ticket = await TicketSteps.Ticket(api, pipeline["id"]!.GetValue<long>(), partnerId, null, "Cartões de visita");
        var url = $"/tickets/{ticket["id"]}";
        using var browser = await App.LoggedIn();
        var page = await browser.GetPage(url);
        var field = (IHtmlInputElement)page.QuerySelector("#Input_DueAt")!;
        Assert.Equal("text", field.Type);
        Assert.Equal("dd/mm/aaaa hh:mm", field.Placeholder);
        var form = (IHtmlFormElement)page.QuerySelector("form[data-tag-drop-form]")!;

        foreach (var (typed, message) in new[]
        {
            ("31/02/2026", "Vencimento: o dia 31/02/2026 não existe."),
            ("99/99/9999", "Vencimento: o dia 99/99/9999 não existe."),
            ("01/01/9999 10:00", "Vencimento: o ano 9999 está fora do intervalo aceito (2000 a 2100)."),
            ("semana que vem", "Vencimento: use o formato dd/mm/aaaa hh:mm, por exemplo 22/11/2026 14:30."),
        })
        {
            var refused = await browser.Submit(form, url, new() { ["Input.DueAt"] = typed, ["Input.Title"] = "Cartões de visita (500)" });
            Assert.Equal(HttpStatusCode.OK, refused.StatusCode);
            var shown = await HtmlClient.Parse(refused);
            Assert.Equal(message, shown.QuerySelector("#DueAt-error")!.TextContent.Trim());
            var input = (IHtmlInputElement)shown.QuerySelector("#Input_DueAt")!;
            Assert.Equal(typed, input.Value);
            Assert.Equal("true", input.GetAttribute("aria-invalid"));
            Assert.Equal("Cartões de visita (500)", (shown.QuerySelector("#Input_Title") as IHtmlInputElement)!.Value);
            var unchanged = await TicketSteps.Json(await api.GetAsync($"/api/v1/tickets/{ticket["id"]}", Ct), HttpStatusCode.OK);
            Assert.Null(unchanged["dueAt"]);
            Assert.Equal("Cartões de visita", unchanged["title"]!.GetValue<string>());
        }

        // Every mistake in one round, listed at the top of the form in its order, each linking to its field.
        var all = await HtmlClient.Parse(await browser.Submit(form, url, new() { ["Input.Title"] = "", ["Input.Value"] = "doze reais", ["Input.DueAt"] = "31/02/2026" }));
        Assert.Equal(
            [("#Input_Title", "Título é obrigatório."), ("#Input_Value", "Valor inválido: use o formato 1.234,56."), ("#Input_DueAt", "Vencimento: o dia 31/02/2026 não existe.")],
            all.QuerySelectorAll("form[data-tag-drop-form] #error-summary li a").Select(a => (a.GetAttribute("href"), a.TextContent.Trim())));
        Assert.Equal("doze reais", (all.QuerySelector("#Input_Value") as IHtmlInputElement)!.Value);
        var still = await TicketSteps.Json(await api.GetAsync($"/api/v1/tickets/{ticket["id"]}", Ct), HttpStatusCode.OK);
        Assert.Equal(("Cartões de visita", 0m), (still["title"]!.GetValue<string>(), still["value"]!.GetValue<decimal>()));
        // An interaction's error stays with the interaction form, out of the ticket form's summary.
        var note = await HtmlClient.Parse(await browser.SubmitForm(url, "#nova-interacao", new() { ["body"] = "" }));
        Assert.Null(note.QuerySelector("form[data-tag-drop-form] #error-summary"));

        var saved = await browser.Submit(form, url, new() { ["Input.DueAt"] = "25/12/2026 14:30" });
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        var api1 = await TicketSteps.Json(await api.GetAsync($"/api/v1/tickets/{ticket["id"]}", Ct), HttpStatusCode.OK);
        Assert.Equal(new DateTimeOffset(2026, 12, 25, 17, 30, 0, TimeSpan.Zero), api1["dueAt"]!.GetValue<DateTimeOffset>());
        var again = await browser.GetPage(url);
        Assert.Equal("25/12/2026 14:30", (again.QuerySelector("#Input_DueAt") as IHtmlInputElement)!.Value);

        // A day alone is due at its end.
        var dayOnly = await browser.SubmitForm(url, "form[data-tag-drop-form]", new() { ["Input.DueAt"] = "26/12/2026" });
        Assert.Equal(HttpStatusCode.Redirect, dayOnly.StatusCode);
        Assert.Equal("26/12/2026 23:59", ((await browser.GetPage(url)).QuerySelector("#Input_DueAt") as IHtmlInputElement)!.Value);
    }
}

public sealed class TicketDueDatePageTestsSqlite(SqliteFixture fixture) : TicketDueDatePageTests(fixture), IClassFixture<SqliteFixture>;

public sealed class TicketDueDatePageTestsPostgres(PostgresFixture fixture) : TicketDueDatePageTests(fixture), IClassFixture<PostgresFixture>;
