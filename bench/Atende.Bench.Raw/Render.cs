using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Atende.Bench.Raw;

/// <summary>A page of tickets as JSON (shaped like Atende's <c>GET /api/v1/tickets</c>) or as a plain HTML table.</summary>
public static class Render
{
    private static readonly CultureInfo PtBr = CultureInfo.GetCultureInfo("pt-BR");
    private static readonly TimeZoneInfo Zone = TimeZoneInfo.FindSystemTimeZoneById("America/Sao_Paulo");

    /// <summary><c>{"items":[…],"next":…,"total":null}</c>, items with the properties of Atende's TicketListItem, in its order.</summary>
    public static async Task Json(HttpResponse response, TicketPage page)
    {
        response.ContentType = "application/json; charset=utf-8";
        await using var json = new Utf8JsonWriter(response.BodyWriter);
        json.WriteStartObject();
        json.WriteStartArray("items");
        foreach (var t in page.Items)
        {
            json.WriteStartObject();
            json.WriteNumber("id", t.Id);
            json.WriteString("reference", t.Reference);
            json.WriteNumber("pipelineId", t.PipelineId);
            json.WriteString("title", t.Title);
            json.WriteString("requesterName", t.RequesterName);
            json.WriteNumber("partnerId", t.PartnerId);
            json.WriteString("status", t.Status.ToString());
            json.WriteNumber("value", t.Value);
            json.WriteString("createdAt", t.CreatedAt);
            json.WriteString("updatedAt", t.UpdatedAt);
            if (t.DueAt is { } due)
            {
                json.WriteString("dueAt", due);
            }
            else
            {
                json.WriteNull("dueAt");
            }
            if (t.AssigneeId is { } assignee)
            {
                json.WriteNumber("assigneeId", assignee);
            }
            else
            {
                json.WriteNull("assigneeId");
            }
            json.WriteString("assigneeName", t.AssigneeName);
            json.WriteStartArray("tagIds");
            foreach (var tag in t.TagIds)
            {
                json.WriteNumberValue(tag);
            }
            json.WriteEndArray();
            json.WriteBoolean("edited", t.Edited);
            json.WriteBoolean("archived", t.Bin == 1);
            json.WriteBoolean("deleted", t.Bin == 2);
            json.WriteEndObject();
        }
        json.WriteEndArray();
        json.WriteString("next", page.Next);
        json.WriteNull("total");
        json.WriteEndObject();
        await json.FlushAsync();
    }

    /// <summary>A whole HTML page: the 50 rows in a table (what the list shows of each), a link to the next page.</summary>
    public static Task Html(HttpResponse response, TicketPage page, long pipelineId, string? q)
    {
        var html = new StringBuilder(24 * 1024);
        var encoder = HtmlEncoder.Default;
        html.Append("<!DOCTYPE html>\n<html lang=\"pt-BR\">\n<head><meta charset=\"utf-8\"><title>Atendimentos</title></head>\n<body>\n<h1>Atendimentos</h1>\n")
            .Append("<table>\n<thead><tr><th>Referência</th><th>Título</th><th>Solicitante</th><th>Situação</th><th>Responsável</th><th>Atualizado</th>")
            .Append("<th>Vencimento</th><th>Valor</th></tr></thead>\n<tbody>\n");
        foreach (var t in page.Items)
        {
            html.Append("<tr><td><a href=\"/tickets/").Append(t.Id).Append("\">").Append(encoder.Encode(t.Reference)).Append("</a></td><td>")
                .Append(encoder.Encode(t.Title)).Append("</td><td>").Append(encoder.Encode(t.RequesterName)).Append("</td><td>")
                .Append(Label(t.Status)).Append("</td><td>").Append(encoder.Encode(t.AssigneeName ?? "")).Append("</td><td>")
                .Append(Local(t.UpdatedAt)).Append("</td><td>").Append(t.DueAt is { } due ? Local(due) : "").Append("</td><td>")
                .Append(t.Value.ToString("C", PtBr)).Append("</td></tr>\n");
        }
        html.Append("</tbody>\n</table>\n");
        if (page.Next is { } next)
        {
            html.Append("<a href=\"/tickets?pipelineId=").Append(pipelineId)
                .Append(string.IsNullOrEmpty(q) ? "" : "&amp;q=" + encoder.Encode(Uri.EscapeDataString(q)))
                .Append("&amp;after=").Append(next).Append("\">Próxima página</a>\n");
        }
        html.Append("</body>\n</html>\n");
        response.ContentType = "text/html; charset=utf-8";
        return response.WriteAsync(html.ToString());
    }

    private static string Local(DateTimeOffset instant) => TimeZoneInfo.ConvertTime(instant, Zone).ToString("dd/MM/yyyy HH:mm", PtBr);

    private static string Label(TicketStatus status) => status switch
    {
        TicketStatus.Open => "Aberto",
        TicketStatus.Reopened => "Reaberto",
        TicketStatus.Analyzing => "Analisando",
        TicketStatus.Waiting => "Aguardando",
        TicketStatus.Canceled => "Cancelado",
        TicketStatus.Rejected => "Rejeitado",
        _ => "Finalizado",
    };
}
