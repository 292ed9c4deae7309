using System.Text;
using Atende.ApiClient;
using Atende.ApiClient.Models;
using Atende.Web.Tests.Infrastructure;
using Microsoft.Kiota.Abstractions;
using Microsoft.Kiota.Abstractions.Authentication;
using Microsoft.Kiota.Http.HttpClientLibrary;

namespace Atende.Web.Tests.ApiClient;

/// <summary>
/// An integrator's first day, through the C# client Kiota generates from the OpenAPI document (tests/Atende.ApiClient):
/// setup, a token, a workspace, a partner with a contact, a pipeline, tickets, an interaction with a file, a status change
/// with If-Match and a stale one read as problem details, paging with <c>next</c>, and the history with its machine values.
/// </summary>
public sealed class ClientJourneyTests
{
    [Theory]
    [InlineData("Sqlite")]
    [InlineData("Postgres")]
    public async Task An_integrator_runs_the_main_journey_through_the_generated_client(string provider)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var app = await TestApp.Start(provider);

        using var anonymousHttp = app.Api();
        var anonymous = Client(anonymousHttp);
        var setup = await anonymous.Api.V1.Setup.PostAsync(new SetupRequest
        {
            CompanyName = "Contabilidade Cliente Ltda", AdminName = "Integradora", AdminEmail = "integra@cliente.com.br", AdminPassword = "senha-longa-de-teste",
        }, cancellationToken: ct);
        Assert.False(string.IsNullOrEmpty(setup!.Token));

        var created = await anonymous.Api.V1.Tokens.PostAsync(new TokenRequest { Email = "integra@cliente.com.br", Password = "senha-longa-de-teste", Name = "ERP" },
            cancellationToken: ct);
        Assert.Equal("ERP", created!.Name);
        var wrongPassword = await Assert.ThrowsAsync<ProblemDetails>(() =>
            anonymous.Api.V1.Tokens.PostAsync(new TokenRequest { Email = "integra@cliente.com.br", Password = "errada" }, cancellationToken: ct));
        Assert.Equal(401, wrongPassword.ResponseStatusCode);

        using var http = app.Api(created.Token);
        var client = Client(http);
        var workspace = await client.Api.V1.Workspaces.PostAsync(new WorkspaceWrite { Name = "Filial Campinas" }, cancellationToken: ct);
        var partner = await client.Api.V1.Partners.PostAsync(new PartnerWrite
        {
            Name = "Padaria Pão de Açúcar", WorkspaceId = workspace!.Id, Roles = [PartnerWrite_roles.Customer],
        }, cancellationToken: ct);
        var contact = await client.Api.V1.Partners[partner!.Id!.Value].Contacts.PostAsync(new ContactWrite
        {
            Name = "Joana Conceição", Emails = ["joana@padaria.com.br"],
        }, cancellationToken: ct);
        var pipeline = await client.Api.V1.Pipelines.PostAsync(new PipelineWrite { Name = "Suporte ERP", Alias = "ERP" }, cancellationToken: ct);

        var tickets = new List<Ticket>();
        foreach (var title in new[] { "Nota fiscal rejeitada", "Boleto em duplicidade", "Acesso ao portal" })
        {
            tickets.Add((await client.Api.V1.Tickets.PostAsync(new TicketWrite
            {
                PipelineId = pipeline!.Id, Title = title, PartnerId = partner.Id, ContactId = contact!.Id,
            }, cancellationToken: ct))!);
        }
        var ticket = tickets[0];
        Assert.Equal("ERP-1", ticket.Reference);
        Assert.Equal(TicketStatus.Open, ticket.Status);

        var upload = new MultipartBody();
        upload.AddOrReplacePart("files", "text/plain", new MemoryStream(Encoding.UTF8.GetBytes("XML da nota 1234")), "nota-1234.txt");
        var files = await client.Api.V1.Files.PostAsync(upload, cancellationToken: ct);
        var file = Assert.Single(files!.Items!);
        Assert.Equal("nota-1234.txt", file.FileName);
        var interaction = await client.Api.V1.Tickets[ticket.Id!.Value].Interactions.PostAsync(new InteractionWrite
        {
            Body = "<p>Segue o XML da nota.</p>", FileIds = [file.Id],
        }, cancellationToken: ct);
        Assert.Equal("nota-1234.txt", Assert.Single(interaction!.Attachments!).FileName);

        var analyzing = await client.Api.V1.Tickets[ticket.Id.Value].Status.PostAsync(new StatusWrite { Status = TicketStatus.Analyzing },
            c => c.Headers.Add("If-Match", $"\"{ticket.Version}\""), ct);
        Assert.Equal(TicketStatus.Analyzing, analyzing!.Status);
        Assert.True(analyzing.Version > ticket.Version);
        var stale = await Assert.ThrowsAsync<ProblemDetails>(() => client.Api.V1.Tickets[ticket.Id.Value].Status.PostAsync(
            new StatusWrite { Status = TicketStatus.Done }, c => c.Headers.Add("If-Match", $"\"{ticket.Version}\""), ct));
        Assert.Equal(412, stale.ResponseStatusCode);
        Assert.Equal("Versão desatualizada.", stale.Title);
        Assert.Equal(TicketStatus.Analyzing, (await client.Api.V1.Tickets[ticket.Id.Value].GetAsync(cancellationToken: ct))!.Status);

        var first = await client.Api.V1.Tickets.GetAsync(c =>
        {
            c.QueryParameters.PipelineId = pipeline!.Id;
            c.QueryParameters.Limit = 2;
            c.QueryParameters.IncludeTotal = true;
        }, ct);
        Assert.Equal(2, first!.Items!.Count);
        Assert.Equal(3, first.Total);
        Assert.NotNull(first.Next);
        var second = await client.Api.V1.Tickets.GetAsync(c =>
        {
            c.QueryParameters.PipelineId = pipeline!.Id;
            c.QueryParameters.Limit = 2;
            c.QueryParameters.After = first.Next;
        }, ct);
        Assert.Null(second!.Next);
        Assert.Equal(tickets.Select(t => t.Id).Order(), first.Items.Concat(second.Items!).Select(t => t.Id).Order());

        var history = await client.Api.V1.Tickets[ticket.Id.Value].History.GetAsync(cancellationToken: ct);
        var statusChange = Assert.Single(history!.Items!, h => h.Field == "status");
        Assert.Equal(("Open", "Analyzing"), (statusChange.OldCode, statusChange.NewCode));
        Assert.Equal("Integradora", statusChange.UserName);
    }

    /// <summary>The generated client over the test server's HttpClient (its Authorization header carries the token).</summary>
    private static AtendeClient Client(HttpClient http) =>
        new(new HttpClientRequestAdapter(new AnonymousAuthenticationProvider(), httpClient: http) { BaseUrl = "http://localhost" });
}
