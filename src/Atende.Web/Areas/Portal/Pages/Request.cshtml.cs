using Atende.Core.Portal;
using Atende.Core.Settings;
using Atende.Core.Tickets;
using Atende.Web.Infrastructure;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;

namespace Atende.Web.Areas.Portal.Pages;

/// <summary>A request's page: its status and public messages, newest last, and the form to write on it (or reopen it).</summary>
[EnableRateLimiting(RateLimits.PortalRequest)]
public sealed class RequestModel(PortalService portal, SettingsService settings) : AppPage, IFormPage
{
    [BindProperty(SupportsGet = true)]
    public long Id { get; set; }

    public sealed class MessageInput
    {
        public string? Message { get; set; }
    }

    [BindProperty]
    public MessageInput Input { get; set; } = new();

    public PortalRequestView View { get; private set; } = null!;
    public TimeZoneInfo Zone { get; private set; } = TimeZoneInfo.Utc;

    public async Task OnGet(CancellationToken ct) => await Redisplay(ct);

    /// <summary>Sends a message; "Reabrir e enviar" (<paramref name="reopen"/>) on a finished request reopens it with the message.</summary>
    public async Task<IActionResult> OnPost(List<IFormFile> files, bool reopen, CancellationToken ct)
    {
        await portal.AddMessage(Id, Input.Message, files.Select(f => new Upload(f.FileName, f.OpenReadStream())).ToList(), reopen, ct);
        Flash(reopen ? "Pedido reaberto: sua mensagem foi enviada à equipe." : "Mensagem enviada à equipe.");
        return Redirect($"/portal/pedidos/{Id}#ultima");
    }

    public async Task Redisplay(CancellationToken ct)
    {
        View = await portal.Get(Id, ct);
        Zone = await settings.TimeZone(ct);
    }

    public static readonly IReadOnlyList<(string Key, string FieldId)> Fields = [("Input.Message", "Input_Message"), ("Input.Files", "files"), ("Input.File", "files")];
}
