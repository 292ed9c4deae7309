using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Atende.Web.Tests.Infrastructure;
using MiniExcelLibs;

namespace Atende.Web.Tests.Tickets;

/// <summary>
/// Relatórios → Dados do contato (seed 003): the tickets picked on a list, or a list's whole filter, with each one's
/// reference, title, partner, contact, phones, e-mails and first interaction; on screen and as text, CSV (Excel pt-BR,
/// formula-safe) and XLSX (typed cells); only what the caller sees; bad input named, never a 500.
/// </summary>
public abstract class ContactDataReportTests(AppFixture fixture)
{
    private TestApp App => fixture.App;
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private sealed record World(HttpClient Admin, long Workspace, long Pipeline, long Visible, long Formula, long Hidden, string AgentEmail, string Unique,
        string Reference);

    private async Task<World> Build()
    {
        var admin = App.Api(fixture.AdminToken);
        var unique = Random.Shared.Next(1000, 9999).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var workspace = await App.CreateWorkspace(fixture.AdminToken, TicketSteps.Unique("Filial Relatório"));
        var agentEmail = $"agente-{Guid.NewGuid():N}@empresa.test";
        var agent = await App.CreateUser(fixture.AdminToken, agentEmail, "Agent", workspace);
        var pipeline = (await TicketSteps.Pipeline(admin, users: [agent.Id]))["id"]!.GetValue<long>();
        var hiddenPipeline = (await TicketSteps.Pipeline(admin))["id"]!.GetValue<long>();
        var partner = (await TicketSteps.Json(await admin.PostAsJsonAsync("/api/v1/partners", new { name = $"Padaria Conceição {unique}", workspaceId = workspace }, Ct),
            HttpStatusCode.Created))["id"]!.GetValue<long>();
        var contact = (await TicketSteps.Json(await admin.PostAsJsonAsync($"/api/v1/partners/{partner}/contacts", new
        {
            name = "Ana Beatriz",
            phones = new object[]
            {
                new { country = "BR", areaCode = "11", number = $"9 8765-{unique}", type = "Mobile" },
                new { country = "BR", areaCode = "11", number = $"3333-{unique}", type = "Fixed" },
            },
            emails = new[] { $"ana{unique}@padaria.com.br" },
        }, Ct), HttpStatusCode.Created))["id"]!.GetValue<long>();
        var visible = await TicketSteps.Ticket(admin, pipeline, partner, contact, "Entrega de pães atrasada");
        var formula = (await TicketSteps.Ticket(admin, pipeline, partner, null, "=HYPERLINK(\"http://mal.example\";\"clique\")"))["id"]!.GetValue<long>();
        var hidden = (await TicketSteps.Ticket(admin, hiddenPipeline, partner, contact, "Outro fluxo"))["id"]!.GetValue<long>();
        var id = visible["id"]!.GetValue<long>();
        Assert.Equal(HttpStatusCode.Created, (await admin.PostAsJsonAsync($"/api/v1/tickets/{id}/interactions", new { body = "<p>Cliente ligou: <b>pão</b> não chegou.</p><p>Segunda linha</p>" }, Ct)).StatusCode);
        await Task.Delay(20, Ct);
        Assert.Equal(HttpStatusCode.Created, (await admin.PostAsJsonAsync($"/api/v1/tickets/{id}/interactions", new { body = "Resposta posterior" }, Ct)).StatusCode);
        return new World(admin, workspace, pipeline, id, formula, hidden, agentEmail, unique, visible["reference"]!.GetValue<string>());
    }

    [Fact]
    public async Task The_api_reports_the_tickets_asked_in_order_with_contact_and_first_interaction_and_only_what_the_caller_sees()
    {
        var w = await Build();
        using var agent = App.Api(await App.Token(w.AgentEmail, TestApp.Password));
        var report = await TicketSteps.Json(await agent.GetAsync($"/api/v1/reports/contact-data?ids={w.Formula},{w.Hidden},{w.Visible}", Ct), HttpStatusCode.OK);
        var items = report["items"]!.AsArray();
        // The hidden pipeline's ticket is left out; the order is the one asked.
        Assert.Equal([w.Formula, w.Visible], items.Select(i => i!["ticketId"]!.GetValue<long>()));
        var row = items[1]!;
        Assert.Equal(w.Reference, row["reference"]!.GetValue<string>());
        Assert.Equal("Entrega de pães atrasada", row["title"]!.GetValue<string>());
        Assert.Equal($"Padaria Conceição {w.Unique}", row["partnerName"]!.GetValue<string>());
        Assert.Equal("Ana Beatriz", row["contactName"]!.GetValue<string>());
        Assert.Equal([$"(11) 98765-{w.Unique}", $"(11) 3333-{w.Unique}"], row["phones"]!.AsArray().Select(p => p!.GetValue<string>()));
        Assert.Equal([$"ana{w.Unique}@padaria.com.br"], row["emails"]!.AsArray().Select(p => p!.GetValue<string>()));
        var first = row["firstInteraction"]!;
        Assert.Contains("Cliente ligou: pão não chegou.", first["text"]!.GetValue<string>());
        Assert.DoesNotContain("<b>", first["text"]!.GetValue<string>());
        Assert.Equal("Administradora Teste", first["authorName"]!.GetValue<string>());
        Assert.Null(items[0]!["firstInteraction"]);

        // A list's filter instead of ids: the same scoping, and how many the filter holds.
        var filtered = await TicketSteps.Json(await agent.GetAsync($"/api/v1/reports/contact-data?pipelineId={w.Pipeline}&q=p%C3%A3es", Ct), HttpStatusCode.OK);
        Assert.Equal([w.Visible], filtered["items"]!.AsArray().Select(i => i!["ticketId"]!.GetValue<long>()));
        Assert.Equal(1, filtered["total"]!.GetValue<int>());
        var other = await TicketSteps.Json(await agent.GetAsync($"/api/v1/reports/contact-data?pipelineId={w.Pipeline + 100000}", Ct), HttpStatusCode.OK);
        Assert.Empty(other["items"]!.AsArray());
    }

    [Fact]
    public async Task Csv_text_and_xlsx_open_right_in_a_spreadsheet_and_no_cell_is_a_formula()
    {
        var w = await Build();
        var url = $"/api/v1/reports/contact-data?ids={w.Visible},{w.Formula}&format=";

        var csvResponse = await w.Admin.GetAsync(url + "csv", Ct);
        Assert.Equal(HttpStatusCode.OK, csvResponse.StatusCode);
        Assert.Equal("text/csv", csvResponse.Content.Headers.ContentType!.MediaType);
        Assert.EndsWith(".csv", csvResponse.Content.Headers.ContentDisposition!.FileName!.Trim('"'));
        var bytes = await csvResponse.Content.ReadAsByteArrayAsync(Ct);
        Assert.Equal(new byte[] { 0xEF, 0xBB, 0xBF }, bytes[..3]);
        var lines = Encoding.UTF8.GetString(bytes[3..]).Split("\r\n");
        Assert.Equal("Referência;Título;Entidade;Contato;Telefones;E-mails;Primeira interação;Autor;Data", lines[0]);
        var expected = $"{w.Reference};Entrega de pães atrasada;Padaria Conceição {w.Unique};Ana Beatriz;(11) 98765-{w.Unique} / (11) 3333-{w.Unique};";
        Assert.True(lines[1].StartsWith(expected, StringComparison.Ordinal), lines[1]);
        Assert.Matches(@";Administradora Teste;\d\d/\d\d/\d{4} \d\d:\d\d$", lines[1]);
        Assert.EndsWith(";;;", lines[2]);
        Assert.Contains(";\"'=HYPERLINK(\"\"http://mal.example\"\";\"\"clique\"\")\";", Encoding.UTF8.GetString(bytes));

        var text = await w.Admin.GetStringAsync(url + "text", Ct);
        Assert.Contains($"{w.Reference} — Entrega de pães atrasada", text);
        Assert.Contains($"Telefones: (11) 98765-{w.Unique} / (11) 3333-{w.Unique}", text);
        Assert.Contains("Primeira interação (Administradora Teste, ", text);
        Assert.Contains("Primeira interação: —", text);

        var xlsxResponse = await w.Admin.GetAsync(url + "xlsx", Ct);
        Assert.Equal("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", xlsxResponse.Content.Headers.ContentType!.MediaType);
        using var xlsx = new MemoryStream(await xlsxResponse.Content.ReadAsByteArrayAsync(Ct));
        var rows = xlsx.Query(useHeaderRow: true).Cast<IDictionary<string, object?>>().ToList();
        Assert.Equal(2, rows.Count);
        Assert.Equal(w.Reference, rows[0]["Referência"]);
        // Phones are text as typed (no leading quote), the date a real date.
        Assert.Equal($"(11) 98765-{w.Unique} / (11) 3333-{w.Unique}", rows[0]["Telefones"]);
        Assert.IsType<DateTime>(rows[0]["Data"]);
        Assert.Equal("=HYPERLINK(\"http://mal.example\";\"clique\")", rows[1]["Título"]);
        xlsx.Position = 0;
        using var zip = new System.IO.Compression.ZipArchive(xlsx);
        using var sheet = new StreamReader(zip.Entries.First(e => e.FullName.StartsWith("xl/worksheets/sheet", StringComparison.Ordinal)).Open());
        Assert.DoesNotContain("<x:f>", await sheet.ReadToEndAsync(Ct));
    }

    [Fact]
    public async Task Bad_requests_name_the_parameter_and_portal_users_are_refused()
    {
        var w = await Build();
        async Task<string> Refused(string query, string field)
        {
            var problem = await TicketSteps.Problem(await w.Admin.GetAsync("/api/v1/reports/contact-data" + query, Ct), HttpStatusCode.BadRequest);
            return problem["errors"]![field]![0]!.GetValue<string>();
        }
        Assert.Contains("separados por vírgula", await Refused("?ids=12,abc", "ids"));
        Assert.Contains("separados por vírgula", await Refused("?ids=99999999999999999999", "ids"));
        Assert.Contains("ao menos um", await Refused("?ids=", "ids"));
        Assert.Contains("pipelineId", await Refused("", "ids"));
        Assert.Contains("json, csv, text ou xlsx", await Refused($"?ids={w.Visible}&format=pdf", "format"));
        var many = string.Join(',', Enumerable.Range(1, 1001));
        Assert.Contains("até 1.000 atendimentos (foram 1.001)", await Refused($"?ids={many}", "ids"));

        var partner = (await TicketSteps.Json(await w.Admin.GetAsync($"/api/v1/tickets/{w.Visible}", Ct), HttpStatusCode.OK))["partnerId"]!.GetValue<long>();
        var email = $"cliente-{Guid.NewGuid():N}@cliente.test";
        await TicketSteps.Json(await w.Admin.PostAsJsonAsync("/api/v1/users",
            new { name = "Cliente", email, role = "Portal", partnerId = partner, seesCompanyRequests = true, password = TestApp.Password }, Ct), HttpStatusCode.Created);
        using var portal = App.Api(await App.Token(email, TestApp.Password));
        Assert.Equal(HttpStatusCode.Forbidden, (await portal.GetAsync($"/api/v1/reports/contact-data?ids={w.Visible}", Ct)).StatusCode);
    }

    [Fact]
    public async Task The_list_offers_the_report_and_its_exports_as_links_a_user_follows()
    {
        var w = await Build();
        using var browser = await App.LoggedIn(w.AgentEmail);
        var list = await browser.GetPage($"/tickets?pipelineId={w.Pipeline}&q=p%C3%A3es");
        // The checkboxes tickets.js puts on each row belong to the report form, which keeps the pipeline.
        var form = list.QuerySelector("form#report-form")!;
        Assert.Equal("/reports/contact-data", form.GetAttribute("action"));
        Assert.True(form.GetAttribute("method") is null or "get", "the report form sends a GET");
        var box = ((AngleSharp.Html.Dom.IHtmlTemplateElement)list.QuerySelector("template#row-select")!).Content.QuerySelector("input")!;
        Assert.Equal(("checkbox", "ids", "{id}", "report-form"), (box.GetAttribute("type"), box.GetAttribute("name"), box.GetAttribute("value"), box.GetAttribute("form")));

        // "De todos do filtro": the report of the list's filter, as the agent sees it.
        var all = list.QuerySelectorAll("#report-form a.dropdown-item").Single(a => a.TextContent.Contains("De todos do filtro")).GetAttribute("href")!;
        var page = await browser.GetPage(all);
        Assert.Equal("1 atendimento", page.QuerySelector(".subtitle")!.TextContent.Trim());
        var cells = page.QuerySelectorAll(".contact-report tbody tr").Single().QuerySelectorAll("td");
        Assert.Contains(w.Reference, cells[0].TextContent);
        Assert.Contains("Ana Beatriz", cells[1].TextContent);
        Assert.Contains($"(11) 98765-{w.Unique}", cells[2].TextContent);
        Assert.Contains("Cliente ligou: pão não chegou.", cells[4].TextContent);

        // Ticked rows (as the form submits them): the report of those, with its three exports.
        page = await browser.GetPage($"/reports/contact-data?pipelineId={w.Pipeline}&ids={w.Visible}&ids={w.Formula}&ids={w.Hidden}");
        Assert.Equal("2 atendimentos", page.QuerySelector(".subtitle")!.TextContent.Trim());
        Assert.Contains("=HYPERLINK", page.QuerySelectorAll(".contact-report tbody tr")[1].TextContent);
        var exports = page.QuerySelectorAll("[aria-label='Exportar'] a").ToDictionary(a => a.TextContent.Trim(), a => a.GetAttribute("href")!);
        Assert.Equal(["Texto", "CSV", "Excel (XLSX)"], exports.Keys);
        foreach (var (name, href) in exports)
        {
            var response = await browser.GetAsync(href, Ct);
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{name}: {(int)response.StatusCode}");
            Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
            Assert.StartsWith("attachment", response.Content.Headers.ContentDisposition!.DispositionType);
        }
        Assert.Contains("Outro fluxo", await w.Admin.GetStringAsync($"/api/v1/reports/contact-data?ids={w.Hidden}&format=text", Ct));
        Assert.DoesNotContain("Outro fluxo", await browser.GetStringAsync(exports["Texto"], Ct));

        // Nothing ticked, a mangled selection, only tickets the agent does not see: said on the page.
        var empty = await browser.GetPage($"/reports/contact-data?pipelineId={w.Pipeline}");
        Assert.Contains("Nenhum atendimento selecionado", empty.QuerySelector(".empty-state")!.TextContent);
        Assert.Equal($"/tickets?pipelineId={w.Pipeline}", empty.QuerySelector(".empty-state a")!.GetAttribute("href"));
        var mangled = await browser.GetAsync($"/reports/contact-data?ids=1;DROP", Ct);
        Assert.Equal(HttpStatusCode.BadRequest, mangled.StatusCode);
        Assert.Contains("não pôde ser lida", (await HtmlClient.Parse(mangled)).QuerySelector(".alert-danger")!.TextContent);
        var none = await browser.GetPage($"/reports/contact-data?ids={w.Hidden}");
        Assert.Contains("Nenhum atendimento para mostrar", none.QuerySelector(".empty-state")!.TextContent);
        var format = await browser.GetAsync($"/reports/contact-data?ids={w.Visible}&handler=Export&format=pdf", Ct);
        Assert.Equal(HttpStatusCode.BadRequest, format.StatusCode);
        Assert.Contains("Formato de exportação desconhecido", await format.Content.ReadAsStringAsync(Ct));
    }
}

public sealed class ContactDataReportTestsSqlite(SqliteFixture fixture) : ContactDataReportTests(fixture), IClassFixture<SqliteFixture>;

public sealed class ContactDataReportTestsPostgres(PostgresFixture fixture) : ContactDataReportTests(fixture), IClassFixture<PostgresFixture>;
