using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Atende.Web.Tests.Infrastructure;

namespace Atende.Web.Tests.Partners;

public abstract class PartnerApiTests(AppFixture fixture)
{
    private TestApp App => fixture.App;
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task<(HttpClient Api, long WorkspaceId)> AdminWithWorkspace()
    {
        var api = App.Api(fixture.AdminToken);
        var workspaceId = await App.CreateWorkspace(fixture.AdminToken, "Domínio " + Guid.NewGuid().ToString("N")[..8]);
        return (api, workspaceId);
    }

    private static async Task<JsonObject> Created(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync(Ct);
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"{(int)response.StatusCode}: {body}");
        return JsonNode.Parse(body)!.AsObject();
    }

    private static async Task<JsonObject> Problem(HttpResponseMessage response, HttpStatusCode status)
    {
        var body = await response.Content.ReadAsStringAsync(Ct);
        Assert.True(response.StatusCode == status, $"expected {(int)status}, got {(int)response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        return JsonNode.Parse(body)!.AsObject();
    }

    private static string Unique(string name) => $"{name} {Guid.NewGuid().ToString("N")[..6]}";

    [Fact]
    public async Task Create_trims_and_validates_codes_including_the_alphanumeric_CNPJ()
    {
        var (api, ws) = await AdminWithWorkspace();
        var created = await Created(await api.PostAsJsonAsync("/api/v1/partners", new { name = "  Açúcar   União  Ltda  ", workspaceId = ws, code = "12abc34501de35", roles = new[] { "Customer", "Supplier" } }, Ct));
        Assert.Equal("Açúcar União Ltda", created["name"]!.GetValue<string>());
        Assert.Equal("12.ABC.345/01DE-35", created["code"]!.GetValue<string>());
        Assert.Equal(["Customer", "Supplier"], created["roles"]!.AsArray().Select(r => r!.GetValue<string>()));

        var badCnpj = await Problem(await api.PostAsJsonAsync("/api/v1/partners", new { name = "X", workspaceId = ws, code = "12.ABC.345/01DE-36" }, Ct), HttpStatusCode.BadRequest);
        Assert.Contains("CNPJ inválido", badCnpj["errors"]!["code"]![0]!.GetValue<string>(), StringComparison.Ordinal);
        var badCpf = await Problem(await api.PostAsJsonAsync("/api/v1/partners", new { name = "X", workspaceId = ws, code = "529.982.247-26" }, Ct), HttpStatusCode.BadRequest);
        Assert.Contains("CPF inválido", badCpf["errors"]!["code"]![0]!.GetValue<string>(), StringComparison.Ordinal);
        var incomplete = await Problem(await api.PostAsJsonAsync("/api/v1/partners", new { name = "X", workspaceId = ws, code = "529.982.247" }, Ct), HttpStatusCode.BadRequest);
        Assert.Contains("incompleto", incomplete["errors"]!["code"]![0]!.GetValue<string>(), StringComparison.Ordinal);
        var free = await Created(await api.PostAsJsonAsync("/api/v1/partners", new { name = Unique("Livre"), workspaceId = ws, code = "CLI-0042" }, Ct));
        Assert.Equal("CLI-0042", free["code"]!.GetValue<string>());
    }

    [Fact]
    public async Task Missing_fields_are_named_in_one_problem_and_nothing_is_saved()
    {
        var (api, ws) = await AdminWithWorkspace();
        var problem = await Problem(await api.PostAsJsonAsync("/api/v1/partners", new { name = "   ", workspaceId = (long?)null, roles = Array.Empty<string>() }, Ct), HttpStatusCode.BadRequest);
        var errors = problem["errors"]!.AsObject();
        Assert.Contains("name", errors.Select(e => e.Key));
        Assert.Contains("workspaceId", errors.Select(e => e.Key));
        Assert.Contains("roles", errors.Select(e => e.Key));
        var list = await api.GetFromJsonAsync<JsonObject>($"/api/v1/partners?workspaceId={ws}", Ct);
        Assert.Empty(list!["items"]!.AsArray());

        var tooLong = await Problem(await api.PostAsJsonAsync("/api/v1/partners", new { name = new string('a', 201), workspaceId = ws }, Ct), HttpStatusCode.BadRequest);
        Assert.Equal("Nome pode ter no máximo 200 caracteres.", tooLong["errors"]!["name"]![0]!.GetValue<string>());
        var wrongType = await Problem(await api.PostAsync("/api/v1/partners", JsonContent.Create(new { name = "X", workspaceId = "abc" }), Ct), HttpStatusCode.BadRequest);
        Assert.NotNull(wrongType["title"]);
        var unknown = await Problem(await api.PostAsJsonAsync("/api/v1/partners", new { name = "X", workspaceId = ws, role = "Admin" }, Ct), HttpStatusCode.BadRequest);
        Assert.Contains("role", unknown["errors"]!.AsObject().Select(e => e.Key));
    }

    [Fact]
    public async Task Updates_need_the_current_version()
    {
        var (api, ws) = await AdminWithWorkspace();
        var created = await Created(await api.PostAsJsonAsync("/api/v1/partners", new { name = Unique("Versionada"), workspaceId = ws }, Ct));
        var id = created["id"]!.GetValue<long>();
        var get = await api.GetAsync($"/api/v1/partners/{id}", Ct);
        var etag = get.Headers.ETag!.Tag;

        var noIfMatch = await api.PatchAsJsonAsync($"/api/v1/partners/{id}", new { notes = "a" }, Ct);
        Assert.Equal((HttpStatusCode)428, noIfMatch.StatusCode);

        using var first = new HttpRequestMessage(HttpMethod.Patch, $"/api/v1/partners/{id}") { Content = JsonContent.Create(new { notes = "primeira" }) };
        first.Headers.TryAddWithoutValidation("If-Match", etag);
        var ok = await api.SendAsync(first, Ct);
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        var updated = await ok.Content.ReadFromJsonAsync<JsonObject>(Ct);
        Assert.Equal("primeira", updated!["notes"]!.GetValue<string>());
        Assert.Equal(created["name"]!.GetValue<string>(), updated["name"]!.GetValue<string>());

        using var stale = new HttpRequestMessage(HttpMethod.Patch, $"/api/v1/partners/{id}") { Content = JsonContent.Create(new { notes = "segunda" }) };
        stale.Headers.TryAddWithoutValidation("If-Match", etag);
        await Problem(await api.SendAsync(stale, Ct), HttpStatusCode.PreconditionFailed);
        var after = await api.GetFromJsonAsync<JsonObject>($"/api/v1/partners/{id}", Ct);
        Assert.Equal("primeira", after!["notes"]!.GetValue<string>());
    }

    [Fact]
    public async Task Duplicate_code_warns_and_saves_once_confirmed()
    {
        var (api, ws) = await AdminWithWorkspace();
        var name = Unique("Original");
        var cpf = Documents.RandomCpf();
        await Created(await api.PostAsJsonAsync("/api/v1/partners", new { name, workspaceId = ws, code = cpf }, Ct));
        var warning = await Problem(await api.PostAsJsonAsync("/api/v1/partners", new { name = "Copia", workspaceId = ws, code = cpf.Replace(".", "", StringComparison.Ordinal).Replace("-", "", StringComparison.Ordinal) }, Ct), HttpStatusCode.Conflict);
        var duplicate = warning["duplicates"]![0]!;
        Assert.Equal("code", duplicate["field"]!.GetValue<string>());
        Assert.Equal(name, duplicate["partnerName"]!.GetValue<string>());
        var copy = await Created(await api.PostAsJsonAsync("/api/v1/partners", new { name = "Copia", workspaceId = ws, code = cpf, confirmDuplicates = true }, Ct));
        Assert.Equal(cpf, copy["code"]!.GetValue<string>());
    }

    [Fact]
    public async Task Contacts_keep_their_limits_and_normalize_phones()
    {
        var (api, ws) = await AdminWithWorkspace();
        var partner = await Created(await api.PostAsJsonAsync("/api/v1/partners", new { name = Unique("Contatos"), workspaceId = ws }, Ct));
        var url = $"/api/v1/partners/{partner["id"]}/contacts";
        var unique = Random.Shared.Next(1000, 9999);

        var contact = await Created(await api.PostAsJsonAsync(url, new
        {
            name = " Maria  José ",
            phones = new object[]
            {
                new { country = "BR", areaCode = "11", number = $"9 8765-{unique}", type = "Mobile" },
                new { country = "BR", areaCode = "(11)", number = $"3333-{unique}", type = "Fixed" },
            },
            emails = new[] { $"maria{unique}@acucar.com.br", $"mj{unique}@gmail.com" },
            socialProfiles = new object[] { new { network = "Instagram", handle = "@maria" }, new { network = "WhatsApp", handle = "5511987654321" } },
        }, Ct));
        Assert.Equal("Maria José", contact["name"]!.GetValue<string>());
        var phone = contact["phones"]![0]!;
        Assert.Equal($"+551198765{unique}", phone["e164"]!.GetValue<string>());
        Assert.Equal($"+55 (11) 98765-{unique}", phone["display"]!.GetValue<string>());
        Assert.Equal($"+55 (11) 3333-{unique}", contact["phones"]![1]!["display"]!.GetValue<string>());

        var fourPhones = await Problem(await api.PostAsJsonAsync(url, new
        {
            name = "Quatro",
            phones = Enumerable.Range(0, 4).Select(i => new { country = "BR", areaCode = "21", number = $"9876{unique}{i}"[..9], type = "Mobile" }).ToArray(),
        }, Ct), HttpStatusCode.BadRequest);
        Assert.Equal("Um contato pode ter no máximo 3 telefones.", fourPhones["errors"]!["phones"]![0]!.GetValue<string>());

        var sameNetwork = await Problem(await api.PostAsJsonAsync(url, new
        {
            name = "Redes", socialProfiles = new object[] { new { network = "Facebook", handle = "a" }, new { network = "Facebook", handle = "b" } },
        }, Ct), HttpStatusCode.BadRequest);
        Assert.Contains("Só pode haver um perfil de Facebook", sameNetwork["detail"]!.GetValue<string>(), StringComparison.Ordinal);

        var repeatedEmail = await Problem(await api.PostAsJsonAsync(url, new { name = "Emails", emails = new[] { "a@b.com.br", "A@B.com.br", "nao-e-email" } }, Ct), HttpStatusCode.BadRequest);
        Assert.Contains("emails[1]", repeatedEmail["errors"]!.AsObject().Select(e => e.Key));
        Assert.Contains("emails[2]", repeatedEmail["errors"]!.AsObject().Select(e => e.Key));

        var wrongType = await Problem(await api.PostAsJsonAsync(url, new
        {
            name = "Tipo", phones = new object[] { new { country = "BR", areaCode = "11", number = "98765-4321", type = "Fixed" } },
        }, Ct), HttpStatusCode.BadRequest);
        Assert.Contains("Móvel", wrongType["errors"]!["phones[0]"]![0]!.GetValue<string>(), StringComparison.Ordinal);

        var contacts = await api.GetFromJsonAsync<JsonObject>(url, Ct);
        Assert.Single(contacts!["items"]!.AsArray());
    }

    [Fact]
    public async Task Same_email_on_another_contact_warns_until_confirmed()
    {
        var (api, ws) = await AdminWithWorkspace();
        var email = $"compras{Guid.NewGuid():N}@fornecedor.com.br";
        var first = await Created(await api.PostAsJsonAsync("/api/v1/partners", new { name = Unique("Primeira"), workspaceId = ws }, Ct));
        var second = await Created(await api.PostAsJsonAsync("/api/v1/partners", new { name = Unique("Segunda"), workspaceId = ws }, Ct));
        await Created(await api.PostAsJsonAsync($"/api/v1/partners/{first["id"]}/contacts", new { name = "Ana", emails = new[] { email } }, Ct));
        var warning = await Problem(await api.PostAsJsonAsync($"/api/v1/partners/{second["id"]}/contacts", new { name = "Bia", emails = new[] { email.ToUpperInvariant() } }, Ct), HttpStatusCode.Conflict);
        Assert.Equal("emails", warning["duplicates"]![0]!["field"]!.GetValue<string>());
        await Created(await api.PostAsJsonAsync($"/api/v1/partners/{second["id"]}/contacts", new { name = "Bia", emails = new[] { email }, confirmDuplicates = true }, Ct));
    }

    [Fact]
    public async Task Contact_update_and_removal()
    {
        var (api, ws) = await AdminWithWorkspace();
        var partner = await Created(await api.PostAsJsonAsync("/api/v1/partners", new { name = Unique("Editar"), workspaceId = ws }, Ct));
        var contact = await Created(await api.PostAsJsonAsync($"/api/v1/partners/{partner["id"]}/contacts", new { name = "Velho", emails = new[] { $"v{Guid.NewGuid():N}@x.com.br" } }, Ct));
        var url = $"/api/v1/partners/{partner["id"]}/contacts/{contact["id"]}";
        using var patch = new HttpRequestMessage(HttpMethod.Patch, url) { Content = JsonContent.Create(new { name = "Novo" }) };
        patch.Headers.TryAddWithoutValidation("If-Match", "\"1\"");
        var updated = await (await api.SendAsync(patch, Ct)).Content.ReadFromJsonAsync<JsonObject>(Ct);
        Assert.Equal("Novo", updated!["name"]!.GetValue<string>());
        Assert.Single(updated["emails"]!.AsArray());
        Assert.Equal(HttpStatusCode.NoContent, (await api.DeleteAsync(url, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await api.GetAsync(url, Ct)).StatusCode);
    }

    [Theory]
    [InlineData("joao acucar")]
    [InlineData("JOÃO")]
    [InlineData("Açúcar")]
    [InlineData("brigadeiro")]
    [InlineData("98765-43")]
    [InlineData("(11) 98765")]
    [InlineData("doces@joao")]
    [InlineData("529.982")]
    public async Task Search_ignores_accents_and_case_and_matches_contact_phone_email_and_code(string query)
    {
        var (api, ws) = await AdminWithWorkspace();
        var created = await Created(await api.PostAsJsonAsync("/api/v1/partners", new { name = "João do Açúcar", workspaceId = ws, code = "529.982.247-25", confirmDuplicates = true }, Ct));
        // The phone and e-mail repeat across the theory's cases: confirmDuplicates accepts that.
        await Created(await api.PostAsJsonAsync($"/api/v1/partners/{created["id"]}/contacts", new
        {
            name = "Zélia Brigadeiro",
            phones = new object[] { new { country = "BR", areaCode = "11", number = "98765-4321", type = "Mobile" } },
            emails = new[] { "doces@joao.com.br" },
            confirmDuplicates = true,
        }, Ct));
        await Created(await api.PostAsJsonAsync("/api/v1/partners", new { name = "Outra Empresa", workspaceId = ws }, Ct));

        var found = await api.GetFromJsonAsync<JsonObject>($"/api/v1/partners?workspaceId={ws}&q={Uri.EscapeDataString(query)}", Ct);
        var items = found!["items"]!.AsArray();
        Assert.Single(items);
        Assert.Equal("João do Açúcar", items[0]!["name"]!.GetValue<string>());
    }

    [Fact]
    public async Task Short_words_are_name_prefixes_and_never_filter_longer_queries()
    {
        var (api, ws) = await AdminWithWorkspace();
        foreach (var name in new[] { "Joana Prado", "Maria Jo Lima", "Jô Soares Eventos", "Davi Costa" })
        {
            await Created(await api.PostAsJsonAsync("/api/v1/partners", new { name, workspaceId = ws }, Ct));
        }
        async Task<string[]> Names(string q) => (await api.GetFromJsonAsync<JsonObject>($"/api/v1/partners?workspaceId={ws}&q={Uri.EscapeDataString(q)}", Ct))!
            ["items"]!.AsArray().Select(i => i!["name"]!.GetValue<string>()).Order(StringComparer.Ordinal).ToArray();

        // Order within a page follows the database collation; the set is what this rule is about.
        Assert.Equal(["Joana Prado", "Jô Soares Eventos"], await Names("jo"));
        Assert.Equal(["Davi Costa"], await Names("DA"));
        Assert.Equal(["Joana Prado"], await Names("joana da prado"));
        Assert.Equal(["Maria Jo Lima"], await Names("maria jo"));
    }

    [Fact]
    public async Task List_pages_by_keyset_in_name_order_without_gaps_or_repeats()
    {
        var (api, ws) = await AdminWithWorkspace();
        // Three partners share a name, and a page ends between them: the cursor goes on from the last one's id.
        var names = new[] { "Épsilon", "alfa", "Beta", "gama", "Delta", "Zeta", "Eta", "Ômega", "Beta", "BETA" };
        foreach (var name in names)
        {
            await Created(await api.PostAsJsonAsync("/api/v1/partners", new { name, workspaceId = ws }, Ct));
        }
        async Task<(List<string> Names, int Pages)> Walk(string filter)
        {
            var seen = new List<string>();
            string? after = null;
            var pages = 0;
            do
            {
                var page = await api.GetFromJsonAsync<JsonObject>($"/api/v1/partners?workspaceId={ws}&limit=3{filter}" + (after is null ? "" : "&after=" + Uri.EscapeDataString(after)), Ct);
                seen.AddRange(page!["items"]!.AsArray().Select(i => i!["name"]!.GetValue<string>()));
                after = page["next"]?.GetValue<string>();
                pages++;
            }
            while (after is not null);
            return (seen, pages);
        }
        var all = await Walk("");
        Assert.Equal(4, all.Pages);
        Assert.Equal(["alfa", "Beta", "Beta", "BETA", "Delta", "Épsilon", "Eta", "gama", "Ômega", "Zeta"], all.Names);
        // A search pages the same way (on PostgreSQL, few matches take the sort-the-matches path).
        var searched = await Walk("&q=" + Uri.EscapeDataString("ETA"));
        Assert.Equal(["Beta", "Beta", "BETA", "Eta", "Zeta"], searched.Names);
        await Problem(await api.GetAsync("/api/v1/partners?after=nao-e-cursor", Ct), HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Another_workspace_is_invisible_and_untouchable()
    {
        var admin = App.Api(fixture.AdminToken);
        var wsA = await App.CreateWorkspace(fixture.AdminToken, Unique("Filial A"));
        var wsB = await App.CreateWorkspace(fixture.AdminToken, Unique("Filial B"));
        var secret = Unique("Segredo Alfa");
        var partnerA = await Created(await admin.PostAsJsonAsync("/api/v1/partners", new { name = secret, workspaceId = wsA }, Ct));
        var idA = partnerA["id"]!.GetValue<long>();
        await Created(await admin.PostAsJsonAsync($"/api/v1/partners/{idA}/contacts", new { name = "Contato Alfa", emails = new[] { $"alfa{Guid.NewGuid():N}@a.com.br" } }, Ct));

        var (_, tokenB) = await App.CreateUser(fixture.AdminToken, $"agente{Guid.NewGuid():N}@b.com.br", "Agent", wsB);
        var agent = App.Api(tokenB);
        Assert.Equal(HttpStatusCode.NotFound, (await agent.GetAsync($"/api/v1/partners/{idA}", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await agent.GetAsync($"/api/v1/partners/{idA}/contacts", Ct)).StatusCode);
        var search = await agent.GetFromJsonAsync<JsonObject>($"/api/v1/partners?q={Uri.EscapeDataString(secret)}", Ct);
        Assert.Empty(search!["items"]!.AsArray());
        var filtered = await agent.GetFromJsonAsync<JsonObject>($"/api/v1/partners?workspaceId={wsA}", Ct);
        Assert.Empty(filtered!["items"]!.AsArray());

        using var patch = new HttpRequestMessage(HttpMethod.Patch, $"/api/v1/partners/{idA}") { Content = JsonContent.Create(new { name = "Invadido" }) };
        patch.Headers.TryAddWithoutValidation("If-Match", "\"2\"");
        Assert.Equal(HttpStatusCode.NotFound, (await agent.SendAsync(patch, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await agent.PostAsJsonAsync($"/api/v1/partners/{idA}/contacts", new { name = "Intruso" }, Ct)).StatusCode);
        var intoA = await Problem(await agent.PostAsJsonAsync("/api/v1/partners", new { name = "Plantada", workspaceId = wsA }, Ct), HttpStatusCode.BadRequest);
        Assert.Contains("workspaceId", intoA["errors"]!.AsObject().Select(e => e.Key));
        var export = await agent.GetStringAsync("/api/v1/partners/export", Ct);
        Assert.DoesNotContain(secret, export, StringComparison.Ordinal);
        var workspaces = await agent.GetFromJsonAsync<JsonObject>("/api/v1/workspaces", Ct);
        Assert.Equal([wsB], workspaces!["items"]!.AsArray().Select(w => w!["id"]!.GetValue<long>()));

        var stillThere = await admin.GetFromJsonAsync<JsonObject>($"/api/v1/partners/{idA}", Ct);
        Assert.Equal(secret, stillThere!["name"]!.GetValue<string>());
    }

    [Fact]
    public async Task Anonymous_calls_get_401_and_cookie_sessions_cannot_write_through_the_api()
    {
        using var anonymous = App.Api();
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/api/v1/partners", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.PostAsJsonAsync("/api/v1/partners", new { name = "X" }, Ct)).StatusCode);
        using var bogus = App.Api("atd_not-a-real-token");
        Assert.Equal(HttpStatusCode.Unauthorized, (await bogus.GetAsync("/api/v1/partners", Ct)).StatusCode);

        using var browser = await App.LoggedIn();
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/api/v1/partners", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await browser.PostAsJsonAsync("/api/v1/partners", new { name = "CSRF" }, Ct)).StatusCode);
    }

    [Fact]
    public async Task Csv_import_through_the_api_dry_runs_then_imports_only_the_good_partners()
    {
        var (api, ws) = await AdminWithWorkspace();
        var good = Unique("Importada API");
        var csv = "Nome;Código;Contato;E-mails\n"
            + $"{good};;Rita;rita{Guid.NewGuid():N}@x.com.br\n"
            + "Ruim;12.345.678/0001-00;;\n";
        using var dry = new StringContent(csv, System.Text.Encoding.UTF8, "text/csv");
        var report = await (await api.PostAsync($"/api/v1/partners/import?dryRun=true&workspaceId={ws}", dry, Ct)).Content.ReadFromJsonAsync<JsonObject>(Ct);
        Assert.True(report!["dryRun"]!.GetValue<bool>());
        Assert.Equal(1, report["partnersCreated"]!.GetValue<int>());
        Assert.Equal(1, report["rowsWithErrors"]!.GetValue<int>());
        Assert.Equal(3, report["rows"]![1]!["line"]!.GetValue<int>());
        var none = await api.GetFromJsonAsync<JsonObject>($"/api/v1/partners?workspaceId={ws}", Ct);
        Assert.Empty(none!["items"]!.AsArray());

        using var real = new StringContent(csv, System.Text.Encoding.UTF8, "text/csv");
        var imported = await (await api.PostAsync($"/api/v1/partners/import?workspaceId={ws}", real, Ct)).Content.ReadFromJsonAsync<JsonObject>(Ct);
        Assert.Equal(1, imported!["contactsCreated"]!.GetValue<int>());
        var list = await api.GetFromJsonAsync<JsonObject>($"/api/v1/partners?workspaceId={ws}", Ct);
        Assert.Equal([good], list!["items"]!.AsArray().Select(i => i!["name"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Portal_users_see_no_partners()
    {
        var (api, ws) = await AdminWithWorkspace();
        var partner = await Created(await api.PostAsJsonAsync("/api/v1/partners", new { name = Unique("Cliente Portal"), workspaceId = ws }, Ct));
        var email = $"portal{Guid.NewGuid():N}@cliente.com.br";
        var response = await api.PostAsJsonAsync("/api/v1/users", new { name = "Pessoa do Cliente", email, role = "Portal", partnerId = partner["id"]!.GetValue<long>(), password = TestApp.Password }, Ct);
        await Created(response);
        using var portal = App.Api(await App.Token(email, TestApp.Password));
        Assert.Equal(HttpStatusCode.Forbidden, (await portal.GetAsync("/api/v1/partners", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await portal.GetAsync($"/api/v1/partners/{partner["id"]}", Ct)).StatusCode);
    }
}

public sealed class PartnerApiTestsSqlite(SqliteFixture fixture) : PartnerApiTests(fixture), IClassFixture<SqliteFixture>;

public sealed class PartnerApiTestsPostgres(PostgresFixture fixture) : PartnerApiTests(fixture), IClassFixture<PostgresFixture>;
