using Atende.Core.Portal;
using Atende.Core.Settings;
using Atende.Core.Tickets;
using Atende.Web.Infrastructure;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;

namespace Atende.Web.Areas.Portal.Pages;

/// <summary>A request's page: its status and public messages, newest last, and the form to write on it (or reopen it).</summary>
[EnableRateLimiting(RateLimits.PortalRequest)]
public sealed class RequestModel(PortalService portal, SettingsService settings, Atende.Core.Chat.ChatService chat, Atende.Core.Identity.Caller caller) : AppPage, IFormPage
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
    public Live.ChatPanel Chat { get; private set; } = null!;

    public async Task OnGet(CancellationToken ct) => await Redisplay(ct);

    /// <summary>Sends a message; "Reabrir e enviar" (<paramref name="reopen"/>) on a finished request reopens it with the message.</summary>
    public async Task<IActionResult> OnPost(List<IFormFile> files, bool reopen, CancellationToken ct)
    {
        await portal.AddMessage(Id, Input.Message, files.Select(f => new Upload(f.FileName, f.OpenReadStream())).ToList(), reopen, ct);
        Flash(reopen ? "Pedido reaberto: sua mensagem foi enviada à equipe." : "Mensagem enviada à equipe.");
        return Redirect($"/portal/pedidos/{Id}#ultima");
    }

    /// <summary>A chat message without JavaScript (with it, the live hub sends): back to the chat, or to it with the reason and the text.</summary>
    public async Task<IActionResult> OnPostChat(string? body, CancellationToken ct)
    {
        try
        {
            await chat.Post(Id, body, ct);
        }
        catch (Exception e) when (e is Atende.Core.Common.ValidationException or Atende.Core.Common.ConflictException or Atende.Core.Common.TooManyRequestsException)
        {
            FlashError(e.Message);
            TempData["ChatDraft"] = body;
        }
        return Redirect($"/portal/pedidos/{Id}#chat");
    }

    public async Task Redisplay(CancellationToken ct)
    {
        View = await portal.Get(Id, ct);
        Zone = await settings.TimeZone(ct);
        Chat = await Live.ChatPanel.Load(chat, Id, caller.UserId, forCustomer: true, Zone, $"/portal/pedidos/{Id}?handler=Chat", null,
            TempData["ChatDraft"] as string, ct);
    }

    public static readonly IReadOnlyList<(string Key, string FieldId)> Fields = [("Input.Message", "Input_Message"), ("Input.Files", "files"), ("Input.File", "files")];
}
