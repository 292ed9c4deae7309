using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Atende.Web.Tests.Infrastructure;
using Atende.Web.Tests.Tickets;

namespace Atende.Web.Tests.Email;

/// <summary>SPEC S5 "Templates with placeholders": /api/v1/settings/email-templates, its preview, and templates filled in for a ticket.</summary>
public abstract class EmailTemplateApiTests(AppFixture fixture)
{
    private TestApp App => fixture.App;
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private const string Url = "/api/v1/settings/email-templates";

    private HttpClient Admin() => App.Api(fixture.AdminToken);

    private static async Task<JsonObject> Create(HttpClient api, object body) =>
        await TicketSteps.Json(await api.PostAsJsonAsync(Url, body, Ct), HttpStatusCode.Created);

    private static async Task<JsonObject> Refused(HttpClient api, object body) =>
        await TicketSteps.Problem(await api.PostAsJsonAsync(Url, body, Ct), HttpStatusCode.BadRequest);

    private static string Error(JsonObject problem, string field) =>
        string.Join(" | ", problem["errors"]![field]!.AsArray().Select(e => e!.GetValue<string>()));

    private static async Task<JsonObject> Automatic(HttpClient api, string purpose) =>
        (await TicketSteps.Json(await api.GetAsync($"{Url}?purpose={purpose}", Ct), HttpStatusCode.OK))["items"]!.AsArray().Single()!.AsObject();

    private static async Task<HttpResponseMessage> Send(HttpClient api, HttpMethod method, string url, string? etag, object? body = null)
    {
        using var request = new HttpRequestMessage(method, url) { Content = body is null ? null : JsonContent.Create(body) };
        if (etag is not null)
        {
            request.Headers.IfMatch.Add(new EntityTagHeaderValue(etag));
        }
        return await api.SendAsync(request, Ct);
    }

    [Fact]
    public async Task A_fresh_install_has_the_three_automatic_templates_with_the_standard_texts()
    {
        using var api = Admin();
        foreach (var (purpose, subject) in new[]
        {
            ("StatusChanged", "{{atendimento.titulo}} — situação: {{atendimento.situacao}}"),
            ("Assigned", "{{atendimento.titulo}} — novo atendimento para você"),
            ("Interaction", "{{atendimento.titulo}}"),
        })
        {
            var template = await Automatic(api, purpose);
            Assert.True(template["automatic"]!.GetValue<bool>());
            Assert.True(template["standardText"]!.GetValue<bool>());
            Assert.True(template["active"]!.GetValue<bool>());
            Assert.Equal(subject, template["subject"]!.GetValue<string>());
            Assert.Contains("{{atendimento.referencia}}", template["body"]!.GetValue<string>(), StringComparison.Ordinal);
        }
        Assert.Contains("{{interacao}}", (await Automatic(api, "Interaction"))["body"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains("href=\"{{link}}\"", (await Automatic(api, "Assigned"))["body"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_custom_template_is_created_read_paged_updated_with_If_Match_and_deleted()
    {
        using var api = Admin();
        var prefix = TicketSteps.Unique("Boleto");
        using var post = await api.PostAsJsonAsync(Url, new { name = prefix + " A", subject = "Boleto de {{ contato.nome }}", body = "<p>Olá, {{contato.nome}}.</p>" }, Ct);
        var created = await TicketSteps.Json(post, HttpStatusCode.Created);
        var id = created["id"]!.GetValue<long>();
        Assert.Equal($"/api/v1/settings/email-templates/{id}", post.Headers.Location!.OriginalString);
        Assert.Equal("\"1\"", post.Headers.ETag!.Tag);
        Assert.Equal("Custom", created["purpose"]!.GetValue<string>());
        Assert.False(created["automatic"]!.GetValue<bool>());
        Assert.Equal("Boleto de {{ contato.nome }}", created["subject"]!.GetValue<string>());
        Assert.Equal("Administradora Teste", created["updatedByName"]!.GetValue<string>());
        await Create(api, new { name = prefix + " B", subject = "B", body = "B" });
        await Create(api, new { name = prefix + " C", subject = "C", body = "C", active = false });

        using var one = await api.GetAsync($"{Url}/{id}", Ct);
        Assert.Equal("\"1\"", one.Headers.ETag!.Tag);

        // Keyset pages by name.
        var names = new List<string>();
        string? next = null;
        do
        {
            var page = await TicketSteps.Json(await api.GetAsync($"{Url}?purpose=Custom&limit=2" + (next is null ? "" : "&after=" + Uri.EscapeDataString(next)), Ct), HttpStatusCode.OK);
            var items = page["items"]!.AsArray();
            Assert.True(items.Count <= 2);
            names.AddRange(items.Select(i => i!["name"]!.GetValue<string>()));
            next = page["next"]?.GetValue<string>();
        }
        while (next is not null);
        Assert.Equal([prefix + " A", prefix + " B", prefix + " C"], names.Where(n => n.StartsWith(prefix, StringComparison.Ordinal)));
        Assert.Equal(names.Count, names.Distinct().Count());

        Assert.Equal(HttpStatusCode.PreconditionRequired, (await Send(api, HttpMethod.Patch, $"{Url}/{id}", null, new { name = prefix + " novo" })).StatusCode);
        var stale = await TicketSteps.Problem(await Send(api, HttpMethod.Patch, $"{Url}/{id}", "\"7\"", new { name = prefix + " novo" }), HttpStatusCode.PreconditionFailed);
        Assert.Contains("alterado por outra pessoa", stale["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        using var patch = await Send(api, HttpMethod.Patch, $"{Url}/{id}", "\"1\"", new { active = false });
        var patched = await TicketSteps.Json(patch, HttpStatusCode.OK);
        Assert.False(patched["active"]!.GetValue<bool>());
        Assert.Equal(prefix + " A", patched["name"]!.GetValue<string>());
        Assert.Equal(2, patched["version"]!.GetValue<int>());
        Assert.Equal("\"2\"", patch.Headers.ETag!.Tag);
        Assert.Equal(HttpStatusCode.PreconditionFailed, (await Send(api, HttpMethod.Patch, $"{Url}/{id}", "\"1\"", new { active = true })).StatusCode);

        Assert.Equal(HttpStatusCode.NoContent, (await api.DeleteAsync($"{Url}/{id}", Ct)).StatusCode);
        await TicketSteps.Problem(await api.GetAsync($"{Url}/{id}", Ct), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Invalid_templates_are_refused_with_the_field_and_the_rule()
    {
        using var api = Admin();
        var name = TicketSteps.Unique("Modelo");

        var unknown = await Refused(api, new { name, subject = "Oi {{contato.nome}}", body = "<p>Olá {{foo}} e {{ cliente.cpf }}</p>" });
        Assert.Contains("Marcador desconhecido: {{foo}}.", Error(unknown, "body"), StringComparison.Ordinal);
        Assert.Contains("Marcador desconhecido: {{cliente.cpf}}.", Error(unknown, "body"), StringComparison.Ordinal);
        Assert.False(unknown["errors"]!.AsObject().ContainsKey("subject"));

        var malformed = await Refused(api, new { name, subject = "Oi {{contato.nome", body = "<p>texto}} solto</p>" });
        Assert.StartsWith("Marcador malformado: \"{{contato.nome\"", Error(malformed, "subject"), StringComparison.Ordinal);
        Assert.StartsWith("Marcador malformado: \"texto}}\"", Error(malformed, "body"), StringComparison.Ordinal);

        var empty = await Refused(api, new { name = " ", subject = "", body = "<p> </p>" });
        Assert.Equal("Nome é obrigatório.", Error(empty, "name"));
        Assert.Equal("Assunto é obrigatório.", Error(empty, "subject"));
        Assert.Equal("O texto do e-mail é obrigatório.", Error(empty, "body"));

        var huge = await Refused(api, new { name = new string('n', 101), subject = new string('s', 201), body = "<p>" + new string('x', 60_000) + "</p>" });
        Assert.Equal("Nome pode ter no máximo 100 caracteres.", Error(huge, "name"));
        Assert.Equal("Assunto pode ter no máximo 200 caracteres.", Error(huge, "subject"));
        Assert.Equal("O texto pode ter no máximo 50.000 caracteres.", Error(huge, "body"));
        var enormous = await Refused(api, new { name, subject = "s", body = new string('x', 2_000_000) });
        Assert.Equal("O texto pode ter no máximo 50.000 caracteres.", Error(enormous, "body"));

        var interaction = await Refused(api, new { name, subject = "{{interacao}}", body = "<p>{{interacao}}</p>" });
        Assert.Contains("{{interacao}} não pode ser usado no assunto", Error(interaction, "subject"), StringComparison.Ordinal);
        Assert.Contains("{{interacao}} só pode ser usado nos modelos dos e-mails de \"Salvar e notificar\", de mensagem do portal e do chat", Error(interaction, "body"), StringComparison.Ordinal);

        var automatic = await Refused(api, new { name, subject = "s", body = "b", purpose = "StatusChanged" });
        Assert.Contains("Só é possível criar modelos personalizados", Error(automatic, "purpose"), StringComparison.Ordinal);
        var unknownProperty = await Refused(api, new { name, subject = "s", body = "b", cc = "x@y.z" });
        Assert.Contains("cc", unknownProperty.ToJsonString(), StringComparison.Ordinal);

        // HTML is sanitized on the way in: no script, handler, image or javascript: link is kept.
        var sanitized = await Create(api, new
        {
            name, subject = "Aviso",
            body = "<p onclick=\"x()\">Olá <b>{{contato.nome}}</b><script>alert(1)</script><img src=x onerror=alert(2)><a href=\"javascript:alert(3)\">link</a></p>",
        });
        var body = sanitized["body"]!.GetValue<string>();
        Assert.Contains("Olá <b>{{contato.nome}}</b>", body, StringComparison.Ordinal);
        foreach (var bad in new[] { "<script", "onclick", "<img", "onerror", "javascript:" })
        {
            Assert.DoesNotContain(bad, body, StringComparison.OrdinalIgnoreCase);
        }
        var duplicate = await Refused(api, new { name = name.ToUpperInvariant(), subject = "s", body = "b" });
        Assert.Equal($"Já existe um modelo de e-mail chamado \"{name.ToUpperInvariant()}\".", Error(duplicate, "name"));
    }

    [Fact]
    public async Task Automatic_templates_are_edited_not_deleted_and_restore_their_standard_text()
    {
        using var api = Admin();
        var template = await Automatic(api, "Interaction");
        var id = template["id"]!.GetValue<long>();
        var version = template["version"]!.GetValue<int>();

        var conflict = await TicketSteps.Problem(await api.DeleteAsync($"{Url}/{id}", Ct), HttpStatusCode.Conflict);
        Assert.Contains("não pode ser excluído", conflict["detail"]!.GetValue<string>(), StringComparison.Ordinal);

        var missing = await TicketSteps.Problem(await Send(api, HttpMethod.Patch, $"{Url}/{id}", $"\"{version}\"", new { body = "<p>Sem a interação</p>" }), HttpStatusCode.BadRequest);
        Assert.Contains("precisa do marcador {{interacao}}", Error(missing, "body"), StringComparison.Ordinal);
        var twice = await TicketSteps.Problem(await Send(api, HttpMethod.Patch, $"{Url}/{id}", $"\"{version}\"", new { body = "{{interacao}}<p>{{ interacao }}</p>" }), HttpStatusCode.BadRequest);
        Assert.Contains("uma única vez", Error(twice, "body"), StringComparison.Ordinal);
        var purpose = await TicketSteps.Problem(await Send(api, HttpMethod.Patch, $"{Url}/{id}", $"\"{version}\"", new { purpose = "Custom" }), HttpStatusCode.BadRequest);
        Assert.Equal("A finalidade de um modelo não pode ser mudada.", Error(purpose, "purpose"));

        var edited = await TicketSteps.Json(await Send(api, HttpMethod.Patch, $"{Url}/{id}", $"\"{version}\"", new { subject = "Novidade: {{atendimento.titulo}}" }), HttpStatusCode.OK);
        Assert.False(edited["standardText"]!.GetValue<bool>());
        Assert.NotNull(edited["updatedAt"]);

        Assert.Equal(HttpStatusCode.PreconditionRequired, (await Send(api, HttpMethod.Post, $"{Url}/{id}/restore-default", null)).StatusCode);
        Assert.Equal(HttpStatusCode.PreconditionFailed, (await Send(api, HttpMethod.Post, $"{Url}/{id}/restore-default", $"\"{version}\"")).StatusCode);
        var restored = await TicketSteps.Json(await Send(api, HttpMethod.Post, $"{Url}/{id}/restore-default", $"\"{edited["version"]}\""), HttpStatusCode.OK);
        Assert.True(restored["standardText"]!.GetValue<bool>());
        Assert.Equal("{{atendimento.titulo}}", restored["subject"]!.GetValue<string>());
        Assert.Equal(version + 2, restored["version"]!.GetValue<int>());

        var custom = await Create(api, new { name = TicketSteps.Unique("Sem padrão"), subject = "s", body = "b" });
        Assert.Equal(HttpStatusCode.Conflict, (await Send(api, HttpMethod.Post, $"{Url}/{custom["id"]}/restore-default", "\"1\"")).StatusCode);
    }

    [Fact]
    public async Task Agents_are_refused_the_template_settings()
    {
        var workspaceId = await App.CreateWorkspace(fixture.AdminToken, TicketSteps.Unique("Domínio"));
        var (_, token) = await App.CreateUser(fixture.AdminToken, $"{Guid.NewGuid():N}@empresa.test", "Agent", workspaceId);
        using var agent = App.Api(token);
        var id = (await Automatic(Admin(), "StatusChanged"))["id"]!.GetValue<long>();
        Assert.Equal(HttpStatusCode.Forbidden, (await agent.GetAsync(Url, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await agent.GetAsync($"{Url}/{id}", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await agent.PostAsJsonAsync(Url, new { name = "x", subject = "x", body = "x" }, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await Send(agent, HttpMethod.Patch, $"{Url}/{id}", "\"1\"", new { active = false })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await agent.DeleteAsync($"{Url}/{id}", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await agent.PostAsJsonAsync($"{Url}/preview", new { subject = "x", body = "x" }, Ct)).StatusCode);
        Assert.True((await Automatic(Admin(), "StatusChanged"))["active"]!.GetValue<bool>());
    }

    [Fact]
    public async Task The_preview_fills_in_sample_values_or_a_tickets_escaped()
    {
        using var api = Admin();
        var sample = await TicketSteps.Json(await api.PostAsJsonAsync($"{Url}/preview", new
        {
            purpose = "Interaction", subject = "Olá {{contato.nome}}", body = "<p>{{empresa.nome}} · {{usuario.nome}} · {{atendimento.situacao}}</p>{{interacao}}<p><a href=\"{{link}}\">abrir</a></p>",
        }, Ct), HttpStatusCode.OK);
        Assert.Equal("[SUP-123] Olá Maria Souza", sample["subject"]!.GetValue<string>());
        Assert.Contains("Empresa de Teste Ltda · Administradora Teste · Analisando", sample["html"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains("segunda via do boleto", sample["html"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains("abrir (http://localhost/tickets/123)", sample["text"]!.GetValue<string>(), StringComparison.Ordinal);

        var workspaceId = await App.CreateWorkspace(fixture.AdminToken, TicketSteps.Unique("Domínio"));
        var pipeline = await TicketSteps.Pipeline(api);
        var (partnerId, contactId) = await TicketSteps.Partner(api, workspaceId, "Cliente <b>&</b> Cia", "Zé \"Aspas\"");
        var ticket = await TicketSteps.Ticket(api, pipeline["id"]!.GetValue<long>(), partnerId, contactId, "<script>alert(1)</script>");
        var reference = ticket["reference"]!.GetValue<string>();
        var real = await TicketSteps.Json(await api.PostAsJsonAsync($"{Url}/preview", new
        {
            subject = "{{atendimento.titulo}} [{{atendimento.referencia}}]",
            body = "<p>{{contato.nome}} / {{parceiro.nome}} / {{atendimento.titulo}}</p><p><a href=\"{{atendimento.titulo}}\">x</a></p>",
            ticketId = ticket["id"]!.GetValue<long>(),
        }, Ct), HttpStatusCode.OK);
        Assert.Equal($"<script>alert(1)</script> [{reference}]", real["subject"]!.GetValue<string>());
        var html = real["html"]!.GetValue<string>();
        Assert.Contains("Zé \"Aspas\" / Cliente &lt;b&gt;&amp;&lt;/b&gt; Cia / &lt;script&gt;alert(1)&lt;/script&gt;", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<b>", html, StringComparison.Ordinal);
        Assert.Contains("Zé \"Aspas\" / Cliente <b>&</b> Cia / <script>alert(1)</script>", real["text"]!.GetValue<string>(), StringComparison.Ordinal);

        var refused = await TicketSteps.Problem(await api.PostAsJsonAsync($"{Url}/preview", new { subject = "ok", body = "{{nao.existe}}" }, Ct), HttpStatusCode.BadRequest);
        Assert.Contains("Marcador desconhecido: {{nao.existe}}", Error(refused, "body"), StringComparison.Ordinal);
        await TicketSteps.Problem(await api.PostAsJsonAsync($"{Url}/preview", new { subject = "ok", body = "ok", ticketId = 987654321 }, Ct), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Staff_fill_in_active_custom_templates_for_tickets_they_may_see_and_nothing_else()
    {
        using var admin = Admin();
        var workspaceId = await App.CreateWorkspace(fixture.AdminToken, TicketSteps.Unique("Domínio"));
        var (agentId, agentToken) = await App.CreateUser(fixture.AdminToken, $"{Guid.NewGuid():N}@empresa.test", "Agent", workspaceId);
        var (_, outsiderToken) = await App.CreateUser(fixture.AdminToken, $"{Guid.NewGuid():N}@empresa.test", "Agent", workspaceId);
        var pipeline = await TicketSteps.Pipeline(admin, users: [agentId]);
        var (partnerId, contactId) = await TicketSteps.Partner(admin, workspaceId, TicketSteps.Unique("Cliente"), "Ana");
        var ticket = await TicketSteps.Ticket(admin, pipeline["id"]!.GetValue<long>(), partnerId, contactId, "javascript:alert(1)", new { assigneeId = agentId });
        var id = ticket["id"]!.GetValue<long>();
        var active = await Create(admin, new
        {
            name = TicketSteps.Unique("Ativo"), subject = "Sobre {{atendimento.titulo}}",
            body = "<p>Olá, {{contato.nome}}: {{atendimento.titulo}} por {{atendimento.responsavel}}</p><p><a href=\"{{atendimento.titulo}}\">perigo</a></p>",
        });
        var inactive = await Create(admin, new { name = TicketSteps.Unique("Inativo"), subject = "s", body = "b", active = false });
        var statusTemplate = await Automatic(admin, "StatusChanged");

        using var agent = App.Api(agentToken);
        var offered = (await TicketSteps.Json(await agent.GetAsync($"/api/v1/tickets/{id}/email-templates", Ct), HttpStatusCode.OK))["items"]!.AsArray()
            .Select(t => t!["id"]!.GetValue<long>()).ToList();
        Assert.Contains(active["id"]!.GetValue<long>(), offered);
        Assert.DoesNotContain(inactive["id"]!.GetValue<long>(), offered);
        Assert.DoesNotContain(statusTemplate["id"]!.GetValue<long>(), offered);

        var rendered = await TicketSteps.Json(await agent.PostAsJsonAsync($"/api/v1/tickets/{id}/render-template", new { templateId = active["id"] }, Ct), HttpStatusCode.OK);
        Assert.Equal($"[{ticket["reference"]}] Sobre javascript:alert(1)", rendered["subject"]!.GetValue<string>());
        var html = rendered["html"]!.GetValue<string>();
        Assert.Contains("Olá, Ana: javascript:alert(1) por Usuário", html, StringComparison.Ordinal);
        Assert.DoesNotContain("href=\"javascript", html, StringComparison.OrdinalIgnoreCase);
        Assert.StartsWith("Olá, Ana: javascript:alert(1) por Usuário", rendered["text"]!.GetValue<string>(), StringComparison.Ordinal);

        foreach (var templateId in new[] { inactive["id"]!.GetValue<long>(), statusTemplate["id"]!.GetValue<long>(), 987654321 })
        {
            await TicketSteps.Problem(await agent.PostAsJsonAsync($"/api/v1/tickets/{id}/render-template", new { templateId }, Ct), HttpStatusCode.NotFound);
        }

        // An agent of the same workspace who is not authorized on the pipeline does not see the ticket: 404 for both.
        using var outsider = App.Api(outsiderToken);
        await TicketSteps.Problem(await outsider.GetAsync($"/api/v1/tickets/{id}/email-templates", Ct), HttpStatusCode.NotFound);
        await TicketSteps.Problem(await outsider.PostAsJsonAsync($"/api/v1/tickets/{id}/render-template", new { templateId = active["id"] }, Ct), HttpStatusCode.NotFound);
    }
}

public sealed class EmailTemplateApiTestsSqlite(SqliteFixture f) : EmailTemplateApiTests(f), IClassFixture<SqliteFixture>;

public sealed class EmailTemplateApiTestsPostgres(PostgresFixture f) : EmailTemplateApiTests(f), IClassFixture<PostgresFixture>;
