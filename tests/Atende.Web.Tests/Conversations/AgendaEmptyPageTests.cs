using System.Net.Http.Json;
using System.Text.Json.Nodes;
using AngleSharp.Html.Parser;
using Atende.Web.Tests.Infrastructure;
using static Atende.Web.Tests.Conversations.ConversationData;

namespace Atende.Web.Tests.Conversations;

/// <summary>The agenda of a company that has just been set up: the side list must not claim every partner has a conversation.</summary>
public abstract class AgendaEmptyPageTests(AppFixture fixture)
{
    private TestApp App => fixture.App;

    private static string SideList(AngleSharp.Dom.IParentNode page) => page.QuerySelector("#partners-to-call")!.TextContent;

    [Fact]
    public async Task Without_any_active_partner_the_side_list_says_so_and_offers_to_create_one()
    {
        using var browser = await App.LoggedIn();
        var empty = await browser.GetPage("/agenda");
        Assert.Contains("Nenhuma entidade ativa cadastrada ainda.", SideList(empty), StringComparison.Ordinal);
        Assert.DoesNotContain("já têm conversa", SideList(empty), StringComparison.Ordinal);
        Assert.Equal("Cadastrar entidade", empty.QuerySelector("#partners-to-call a[href='/partners/new']")!.TextContent.Trim());

        // The same through htmx (the search box clears to the whole list).
        using var request = new HttpRequestMessage(HttpMethod.Get, "/agenda?handler=Partners&pq=");
        request.Headers.Add("HX-Request", "true");
        var fragment = await (await browser.SendAsync(request, Ct)).Content.ReadAsStringAsync(Ct);
        Assert.Contains("Nenhuma entidade ativa cadastrada ainda.", SideList(new HtmlParser().ParseDocument(fragment)), StringComparison.Ordinal);

        // An inactive partner does not change it; an active one with a conversation ahead is "all have a conversation".
        var api = App.Api(fixture.AdminToken);
        var workspaceId = (await api.GetFromJsonAsync<JsonObject>("/api/v1/workspaces", Ct))!["items"]!.AsArray()[0]!["id"]!.GetValue<long>();
        await Partner(api, workspaceId, "Antiga Cliente Inativa", active: false);
        Assert.Contains("Nenhuma entidade ativa cadastrada ainda.", SideList(await browser.GetPage("/agenda")), StringComparison.Ordinal);
        var active = await Partner(api, workspaceId, "Cliente Com Retorno");
        await Conversation(api, active, at: Local(DateTimeOffset.UtcNow.AddDays(3)));
        var allCalled = await browser.GetPage("/agenda");
        Assert.Contains("Todas as entidades ativas já têm conversa registrada de hoje em diante.", SideList(allCalled), StringComparison.Ordinal);
        Assert.Null(allCalled.QuerySelector("#partners-to-call a[href='/partners/new']"));
    }
}

public sealed class AgendaEmptyPageTestsSqlite(SqliteFixture fixture) : AgendaEmptyPageTests(fixture), IClassFixture<SqliteFixture>;

public sealed class AgendaEmptyPageTestsPostgres(PostgresFixture fixture) : AgendaEmptyPageTests(fixture), IClassFixture<PostgresFixture>;
