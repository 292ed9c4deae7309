using Atende.Core.Queue;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Atende.Core.Common;
using Atende.Core.Data;
using Atende.Core.Email;
using Atende.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static Atende.Web.Tests.Settings.PageHelpers;

namespace Atende.Web.Tests.Email;

/// <summary>/settings/email and /settings/outbox as an admin uses them.</summary>
public abstract class EmailPageTests(AppFixture fixture)
{
    private TestApp App => fixture.App;

    private async Task<Dictionary<string, string>> RealServerForm()
    {
        var (host, port, _) = TestMailServer.Require();
        return new()
        {
            ["Input.Host"] = host, ["Input.Port"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture), ["Input.Security"] = "None",
            ["Input.UserName"] = "", ["Input.FromName"] = "Atendimento Teste", ["Input.FromAddress"] = "atendimento@pagina.test",
        };
    }

    [Fact]
    public async Task Saving_the_form_keeps_a_blank_password_and_the_test_button_reports_the_answer()
    {
        using var admin = await App.LoggedIn();
        var form = await RealServerForm();
        form["Input.Password"] = "senha-da-pagina-77";
        var saved = await admin.SubmitForm("/settings/email", "form.settings-form", form);
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);

        var page = await admin.GetPage("/settings/email");
        Assert.Contains("Configurações de e-mail salvas.", Text(page), StringComparison.Ordinal);
        Assert.Contains("Senha definida", Text(page), StringComparison.Ordinal);
        Assert.Equal("", Value(page, "#Input_Password"));
        Assert.DoesNotContain("senha-da-pagina-77", page.DocumentElement.OuterHtml, StringComparison.Ordinal);

        // Saved again with the password left blank: it stays.
        form.Remove("Input.Password");
        await admin.SubmitForm("/settings/email", "form.settings-form", form);
        using var api = App.Api(fixture.AdminToken);
        Assert.True((await api.GetFromJsonAsync<JsonObject>("/api/v1/settings/smtp", Ct))!["passwordSet"]!.GetValue<bool>());

        // The test e-mail (no login on aiosmtpd: clear the password first).
        form["Input.ClearPassword"] = "true";
        await admin.SubmitForm("/settings/email", "form.settings-form", form);
        var to = $"pagina-{Guid.NewGuid():N}@cliente.test";
        var tested = await HtmlClient.Parse(await admin.SubmitForm("/settings/email", "form.test-email-form", new() { ["TestTo"] = to }));
        Assert.StartsWith($"E-mail de teste enviado para {to}.", tested.QuerySelector("#test-result")!.TextContent.Trim(), StringComparison.Ordinal);
        Assert.Single(await TestMailServer.WaitFor(m => m.To.Mailboxes.Any(b => b.Address == to)));

        var invalid = await HtmlClient.Parse(await admin.SubmitForm("/settings/email", "form.test-email-form", new() { ["TestTo"] = "nao-e-email" }));
        Assert.Equal("E-mail inválido: nao-e-email.", FieldError(invalid, "TestTo"));
    }

    [Fact]
    public async Task An_invalid_setting_is_shown_next_to_its_field()
    {
        using var admin = await App.LoggedIn();
        var form = await RealServerForm();
        form["Input.Port"] = "0";
        form["Input.FromAddress"] = "sem-arroba";
        var refused = await admin.SubmitForm("/settings/email", "form.settings-form", form);
        Assert.Equal(HttpStatusCode.OK, refused.StatusCode);
        var page = await HtmlClient.Parse(refused);
        Assert.Equal("Porta deve estar entre 1 e 65535.", FieldError(page, "Input.Port"));
        Assert.Equal("E-mail do remetente inválido: sem-arroba.", FieldError(page, "Input.FromAddress"));
    }

    [Fact]
    public async Task The_outbox_page_shows_failures_with_their_reason_and_resends_them()
    {
        using var admin = await App.LoggedIn();
        await admin.SubmitForm("/settings/email", "form.settings-form", await RealServerForm());
        var subject = Unique("Falhou");
        long id;
        await using (var scope = App.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<AtendeDb>();
            var email = scope.ServiceProvider.GetRequiredService<EmailOutbox>().Enqueue(new(["dest@cliente.test"], subject, null, "Texto"));
            email.Status = LeaseStatus.Dead;
            email.Attempts = 1;
            email.LastError = "O servidor recusou o e-mail (550): 5.1.1 Mailbox unavailable";
            email.CreatedAt = new DateTimeOffset(2026, 11, 22, 17, 30, 0, TimeSpan.Zero);
            await db.SaveChangesAsync(Ct);
            id = email.Id;
        }

        var page = await admin.GetPage("/settings/outbox?status=Dead");
        var row = page.QuerySelector($"tr[data-outbox-id='{id}']")!;
        Assert.Contains(subject, row.TextContent, StringComparison.Ordinal);
        Assert.Contains("Falhou", row.TextContent, StringComparison.Ordinal);
        Assert.Contains("5.1.1 Mailbox unavailable", row.QuerySelector(".outbox-error")!.TextContent, StringComparison.Ordinal);
        Assert.Contains("22/11/2026 14:30", row.TextContent, StringComparison.Ordinal);
        Assert.Null((await admin.GetPage("/settings/outbox?status=Sent")).QuerySelector($"tr[data-outbox-id='{id}']"));

        var retryForm = FormOfButton(page, $"Reenviar e-mail {id}");
        Assert.False(string.IsNullOrEmpty(retryForm.GetAttribute("data-confirm")));
        var retried = await admin.Submit(retryForm, "/settings/outbox?status=Dead", []);
        Assert.Equal(HttpStatusCode.Redirect, retried.StatusCode);
        Assert.Single(await TestMailServer.WaitFor(m => m.Subject == subject));
        var after = await admin.GetPage("/settings/outbox?status=Sent");
        Assert.NotNull(after.QuerySelector($"tr[data-outbox-id='{id}']"));

        var unknown = await admin.GetPage("/settings/outbox?ticket=NAOEXISTE-1");
        Assert.Contains("Nenhum atendimento com a referência NAOEXISTE-1.", Text(unknown), StringComparison.Ordinal);
    }
}

public sealed class EmailPageTestsSqlite(EmailSqliteFixture f) : EmailPageTests(f), IClassFixture<EmailSqliteFixture>;

public sealed class EmailPageTestsPostgres(EmailPostgresFixture f) : EmailPageTests(f), IClassFixture<EmailPostgresFixture>;
