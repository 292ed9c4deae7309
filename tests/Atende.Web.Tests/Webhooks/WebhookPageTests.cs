using System.Net;
using System.Net.Http.Json;
using AngleSharp.Html.Dom;
using Atende.Web.Tests.Infrastructure;
using static Atende.Web.Tests.Settings.PageHelpers;

namespace Atende.Web.Tests.Webhooks;

/// <summary>Configurações → Webhooks as an admin uses it: the form, the secret shown once, the delivery log, delete.</summary>
public abstract class WebhookPageTests(AppFixture fixture)
{
    private TestApp App => fixture.App;

    /// <summary>Loads the form of <paramref name="url"/>, ticks exactly <paramref name="events"/> (none: "Todos os eventos") and posts it.</summary>
    private static async Task<HttpResponseMessage> SubmitWebhookForm(HttpClient browser, string url, string target, string description, params string[] events)
    {
        var page = await browser.GetPage(url);
        var form = (IHtmlFormElement)page.QuerySelector("#webhook-form")!;
        ((IHtmlInputElement)form.QuerySelector("#Input_AllEvents")!).IsChecked = events.Length == 0;
        foreach (var box in form.QuerySelectorAll("input[name='Input.Events']").Cast<IHtmlInputElement>())
        {
            box.IsChecked = events.Contains(box.Value);
        }
        return await browser.Submit(form, url, new() { ["Input.Url"] = target, ["Input.Description"] = description });
    }

    private static IHtmlInputElement? SecretBox(IHtmlDocument page) => page.QuerySelector("#webhook-secret input#secret-value") as IHtmlInputElement;

    [Fact]
    public async Task An_endpoint_created_through_the_form_shows_its_secret_once_and_is_listed()
    {
        await using var app = await TestApp.Start(fixture.Provider, LoopbackWebhooks.Settings);
        await app.Setup();
        using var admin = await app.LoggedIn();
        var empty = await admin.GetPage("/settings/webhooks");
        Assert.NotNull(empty.QuerySelector("nav a.nav-link.active[href='/settings/webhooks']"));
        Assert.Contains("Nenhum webhook ainda", Text(empty), StringComparison.Ordinal);

        var target = $"https://erp.exemplo.com.br/hooks/{Guid.NewGuid():N}";
        var saved = await SubmitWebhookForm(admin, "/settings/webhooks/new", target, "Integração com o ERP", "ticket.created", "partner.created");
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        var detailsUrl = saved.Headers.Location!.OriginalString;
        Assert.Matches(@"^/settings/webhooks/\d+$", detailsUrl);

        var details = await admin.GetPage(detailsUrl);
        var secret = SecretBox(details)?.Value;
        Assert.NotNull(secret);
        Assert.StartsWith("whsec_", secret, StringComparison.Ordinal);
        Assert.Contains("não será mostrado de novo", details.QuerySelector("#webhook-secret")!.TextContent, StringComparison.Ordinal);
        Assert.Equal(target, details.QuerySelector("h1")!.TextContent.Trim());
        Assert.Contains("Atendimento criado, Parceiro cadastrado", Text(details), StringComparison.Ordinal);

        var reloaded = await admin.GetPage(detailsUrl);
        Assert.Null(SecretBox(reloaded));
        Assert.DoesNotContain(secret, reloaded.DocumentElement.OuterHtml, StringComparison.Ordinal);

        var list = await admin.GetPage("/settings/webhooks");
        var row = list.QuerySelectorAll("#webhooks tbody tr").Single();
        Assert.Contains(target, row.TextContent, StringComparison.Ordinal);
        Assert.Contains("Integração com o ERP", row.TextContent, StringComparison.Ordinal);
        Assert.Contains("Atendimento criado, Parceiro cadastrado", row.TextContent, StringComparison.Ordinal);
        Assert.Contains("Ativo", row.TextContent, StringComparison.Ordinal);
        Assert.DoesNotContain(secret, list.DocumentElement.OuterHtml, StringComparison.Ordinal);

        // "Gerar novo segredo" asks first, then shows the new secret once.
        var rotateForm = (IHtmlFormElement)reloaded.QuerySelectorAll("form").First(f => f.TextContent.Contains("Gerar novo segredo", StringComparison.Ordinal));
        Assert.Contains("24 horas", rotateForm.GetAttribute("data-confirm"), StringComparison.Ordinal);
        var rotated = await admin.Submit(rotateForm, detailsUrl, []);
        Assert.Equal(HttpStatusCode.Redirect, rotated.StatusCode);
        var afterRotation = await admin.GetPage(rotated.Headers.Location!.OriginalString);
        var newSecret = SecretBox(afterRotation)?.Value;
        Assert.StartsWith("whsec_", newSecret, StringComparison.Ordinal);
        Assert.NotEqual(secret, newSecret);
        Assert.Null(SecretBox(await admin.GetPage(detailsUrl)));
    }

    [Fact]
    public async Task A_refused_form_shows_the_errors_next_to_the_fields_and_keeps_what_was_typed()
    {
        using var admin = await App.LoggedIn();
        var description = Unique("Planilha");
        var refused = await SubmitWebhookForm(admin, "/settings/webhooks/new", "ftp://arquivos.exemplo.com.br/entrada", description, "ticket.moved", "conversation.concluded");
        Assert.Equal(HttpStatusCode.OK, refused.StatusCode);
        var page = await HtmlClient.Parse(refused);
        Assert.Contains("https://", FieldError(page, "Input.Url"), StringComparison.Ordinal);
        Assert.NotNull(page.QuerySelector("#error-summary a[href='#Input_Url']"));
        Assert.Equal("ftp://arquivos.exemplo.com.br/entrada", Value(page, "#Input_Url"));
        Assert.Equal(description, Value(page, "#Input_Description"));
        Assert.False(((IHtmlInputElement)page.QuerySelector("#Input_AllEvents")!).IsChecked);
        var ticked = page.QuerySelectorAll("input[name='Input.Events']").Cast<IHtmlInputElement>().Where(b => b.IsChecked).Select(b => b.Value);
        Assert.Equal(["ticket.moved", "conversation.concluded"], ticked);

        // Neither "Todos os eventos" nor a single event: refused, the URL kept.
        var none = await admin.GetPage("/settings/webhooks/new");
        var form = (IHtmlFormElement)none.QuerySelector("#webhook-form")!;
        ((IHtmlInputElement)form.QuerySelector("#Input_AllEvents")!).IsChecked = false;
        var nothingTicked = await HtmlClient.Parse(await admin.Submit(form, "/settings/webhooks/new", new() { ["Input.Url"] = "https://erp.exemplo.com.br/y" }));
        Assert.Contains("Todos os eventos", FieldError(nothingTicked, "Input.Events"), StringComparison.Ordinal);
        Assert.Equal("https://erp.exemplo.com.br/y", Value(nothingTicked, "#Input_Url"));
        Assert.DoesNotContain("erp.exemplo.com.br/y", Text(await admin.GetPage("/settings/webhooks")), StringComparison.Ordinal);

        // Corrected, with "Todos os eventos": saved.
        var target = $"https://erp.exemplo.com.br/{Guid.NewGuid():N}";
        var saved = await SubmitWebhookForm(admin, "/settings/webhooks/new", target, description);
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        Assert.Contains("Todos os eventos", Text(await admin.GetPage(saved.Headers.Location!.OriginalString)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_delivery_log_shows_a_test_delivery_and_sends_it_again_and_the_endpoint_can_be_edited_and_deleted()
    {
        await using var receiver = await WebhookReceiver.Start(Ct);
        using var api = App.Api(fixture.AdminToken);
        var id = (await LoopbackWebhooks.Register(api, receiver, "Receptor de teste"))["id"]!.GetValue<long>();
        var url = $"/settings/webhooks/{id}";
        using var admin = await App.LoggedIn();

        var page = await admin.GetPage(url);
        Assert.Contains("Nenhuma entrega ainda", Text(page), StringComparison.Ordinal);
        var testForm = (IHtmlFormElement)page.QuerySelectorAll("form").First(f => f.TextContent.Contains("Enviar evento de teste", StringComparison.Ordinal));
        var sent = await admin.Submit(testForm, url, []);
        Assert.Equal(HttpStatusCode.Redirect, sent.StatusCode);
        var received = (await receiver.WaitFor(1))[0];
        var deliveryId = (await api.GetFromJsonAsync<System.Text.Json.Nodes.JsonObject>($"/api/v1/webhooks/{id}/deliveries", Ct))!["items"]![0]!["id"]!.GetValue<long>();
        await LoopbackWebhooks.Settled(api, id, deliveryId);

        var log = await admin.GetPage(url);
        Assert.Contains("Evento de teste enviado", Text(log), StringComparison.Ordinal);
        var row = log.QuerySelector($"tr[data-delivery-id='{deliveryId}']")!;
        Assert.Contains("webhook.test", row.TextContent, StringComparison.Ordinal);
        Assert.Contains(received.Header("webhook-id")!, row.TextContent, StringComparison.Ordinal);
        Assert.Contains("Entregue", row.TextContent, StringComparison.Ordinal);
        Assert.Contains("HTTP 200", row.TextContent, StringComparison.Ordinal);
        Assert.Matches(@"Criado em \d{2}/\d{2}/\d{4} \d{2}:\d{2}", row.TextContent);

        var retryForm = FormOfButton(log, $"Reenviar entrega {deliveryId}");
        Assert.NotNull(retryForm.GetAttribute("data-confirm"));
        Assert.Equal(HttpStatusCode.Redirect, (await admin.Submit(retryForm, url, [])).StatusCode);
        Assert.Equal(received.Header("webhook-id"), (await receiver.WaitFor(2))[1].Header("webhook-id"));
        Assert.Contains("Entrega colocada de novo na fila.", Text(await admin.GetPage(url)), StringComparison.Ordinal);

        var edited = await SubmitWebhookForm(admin, $"{url}/edit", receiver.Url.ToString(), "Receptor renomeado", "partner.updated");
        Assert.Equal(HttpStatusCode.Redirect, edited.StatusCode);
        var afterEdit = await admin.GetPage(url);
        Assert.Contains("Receptor renomeado", Text(afterEdit), StringComparison.Ordinal);
        Assert.Contains("Parceiro alterado", Text(afterEdit), StringComparison.Ordinal);

        var deleteForm = (IHtmlFormElement)afterEdit.QuerySelectorAll("form").First(f => f.TextContent.Contains("Excluir", StringComparison.Ordinal));
        Assert.Contains("Excluir o webhook", deleteForm.GetAttribute("data-confirm"), StringComparison.Ordinal);
        var deleted = await admin.Submit(deleteForm, url, []);
        Assert.Equal("/settings/webhooks", deleted.Headers.Location!.OriginalString);
        Assert.Null((await admin.GetPage("/settings/webhooks")).QuerySelector($"#webhook-{id}"));
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync(url, Ct)).StatusCode);
    }

    [Fact]
    public async Task Saving_an_edit_made_over_someone_elses_change_is_refused_and_keeps_what_was_typed()
    {
        using var api = App.Api(fixture.AdminToken);
        var target = $"https://erp.exemplo.com.br/{Guid.NewGuid():N}";
        var id = (await Tickets.TicketSteps.Json(await api.PostAsJsonAsync("/api/v1/webhooks", new { url = target, active = false }, Ct), HttpStatusCode.Created))["id"]!.GetValue<long>();
        using var admin = await App.LoggedIn();
        var edit = await admin.GetPage($"/settings/webhooks/{id}/edit");
        Assert.Equal(target, Value(edit, "#Input_Url"));
        Assert.True(((IHtmlInputElement)edit.QuerySelector("#Input_AllEvents")!).IsChecked);

        using var other = new HttpRequestMessage(HttpMethod.Patch, $"/api/v1/webhooks/{id}") { Content = JsonContent.Create(new { description = "Alterado pela API" }) };
        other.Headers.IfMatch.Add(new System.Net.Http.Headers.EntityTagHeaderValue("\"1\""));
        Assert.Equal(HttpStatusCode.OK, (await api.SendAsync(other, Ct)).StatusCode);

        var refused = await admin.Submit((IHtmlFormElement)edit.QuerySelector("#webhook-form")!, $"/settings/webhooks/{id}/edit", new() { ["Input.Description"] = "Minha descrição" });
        Assert.Equal(HttpStatusCode.OK, refused.StatusCode);
        var page = await HtmlClient.Parse(refused);
        Assert.Contains("alterado por outra pessoa", page.QuerySelector("#stale-alert")!.TextContent, StringComparison.Ordinal);
        Assert.Equal("Minha descrição", Value(page, "#Input_Description"));
        var stored = await api.GetFromJsonAsync<System.Text.Json.Nodes.JsonObject>($"/api/v1/webhooks/{id}", Ct);
        Assert.Equal("Alterado pela API", stored!["description"]!.GetValue<string>());
    }

    [Fact]
    public async Task Agents_are_sent_to_the_access_denied_page()
    {
        var workspaceId = await App.CreateWorkspace(fixture.AdminToken, Unique("Filial"));
        var email = $"{Guid.NewGuid():N}@empresa.test";
        await App.CreateUser(fixture.AdminToken, email, "Agent", workspaceId);
        using var agent = await App.LoggedIn(email);
        foreach (var url in new[] { "/settings/webhooks", "/settings/webhooks/new" })
        {
            var response = await agent.GetAsync(url, Ct);
            Assert.True(response.StatusCode == HttpStatusCode.Redirect && response.Headers.Location!.OriginalString.Contains("/acesso-negado", StringComparison.Ordinal),
                $"{url} answered {(int)response.StatusCode} {response.Headers.Location}");
        }
        Assert.Null((await agent.GetPage("/")).QuerySelector("a[href='/settings/webhooks']"));
    }
}

public sealed class WebhookPageTestsSqlite(LoopbackWebhooksSqliteFixture f) : WebhookPageTests(f), IClassFixture<LoopbackWebhooksSqliteFixture>;

public sealed class WebhookPageTestsPostgres(LoopbackWebhooksPostgresFixture f) : WebhookPageTests(f), IClassFixture<LoopbackWebhooksPostgresFixture>;
