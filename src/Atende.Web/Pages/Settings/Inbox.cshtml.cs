using Atende.Core.Common;
using Atende.Core.Email;
using Atende.Core.Identity;
using Atende.Core.Pipelines;
using Atende.Core.Settings;
using Atende.Web.Infrastructure;
using Microsoft.AspNetCore.Mvc;

namespace Atende.Web.Pages.Settings;

/// <summary>/settings/inbox: the mailbox that receives replies, "Testar conexão", "Verificar agora" and the messages read.</summary>
public sealed class InboxModel(ImapSettingsService imap, InboxService inbox, PipelineService pipelines, UserService users, SettingsService settings, Caller caller) : AppPage, IFormPage, IActionPage
{
    [BindProperty] public ImapInput Input { get; set; } = new();

    [FromQuery(Name = "status")] public InboundStatus? Status { get; set; }

    [FromQuery(Name = "after")] public string? After { get; set; }

    public ImapView Saved { get; private set; } = null!;

    public ImapTestResult? TestResult { get; private set; }

    public Page<InboundRow> Messages { get; private set; } = new([], null);

    public List<PipelineSummary> Pipelines { get; private set; } = [];

    public List<User> Staff { get; private set; } = [];

    public TimeZoneInfo Zone { get; private set; } = TimeZoneInfo.Utc;

    public async Task<IActionResult> OnGet(CancellationToken ct)
    {
        await Load(ct);
        Input = new ImapInput
        {
            Enabled = Saved.Enabled, Host = Saved.Host, Port = Saved.Port, Security = Saved.Security, UserName = Saved.UserName, Folder = Saved.Folder,
            Unmatched = Saved.Unmatched, UnmatchedPipelineId = Saved.UnmatchedPipelineId, UnmatchedCreatorId = Saved.UnmatchedCreatorId ?? caller.UserId,
        };
        return Page();
    }

    public async Task<IActionResult> OnPost(CancellationToken ct)
    {
        var saved = await imap.Update(Input, ct);
        Flash(saved.Enabled ? "Caixa de entrada salva. As respostas serão lidas a cada minuto." : "Caixa de entrada salva. A leitura está desligada.");
        return Redirect("/settings/inbox");
    }

    public async Task Redisplay(CancellationToken ct)
    {
        await Load(ct);
        Input.Password = null;
    }

    public async Task<IActionResult> OnPostTest(CancellationToken ct)
    {
        await OnGet(ct);
        TestResult = await imap.Test(ct);
        return Page();
    }

    public async Task<IActionResult> OnPostPoll(CancellationToken ct)
    {
        var (ok, message) = await inbox.PollNow(ct);
        if (ok)
        {
            Flash(message);
        }
        else
        {
            FlashError(message);
        }
        return Redirect("/settings/inbox#mensagens");
    }

    public async Task<IActionResult> OnPostRetry(long id, CancellationToken ct)
    {
        await inbox.Retry(id, ct);
        Flash("A mensagem será lida de novo na próxima verificação.");
        return Redirect(Link(Status, null));
    }

    /// <summary>A refused "Ler de novo" comes back to the messages; the mailbox form shows its own errors.</summary>
    public string? RefusedActionBack(string? handler, Exception refusal) => handler == "Retry" ? Link(Status, null) : null;

    /// <summary>The row may have been deleted meanwhile: said on the list, not a 404 page.</summary>
    public bool FlashesNotFound(string? handler) => handler == "Retry";

    private async Task Load(CancellationToken ct)
    {
        Zone = await settings.TimeZone(ct);
        Saved = await imap.Get(ct);
        Pipelines = await pipelines.List(activeOnly: true, ct: ct);
        Staff = await users.ActiveStaff(ct);
        Messages = await inbox.List(Status, After, 50, ct);
    }

    /// <summary>The page's address with a status tab and a cursor, at the list.</summary>
    public static string Link(InboundStatus? status, string? after)
    {
        var query = new List<string>();
        if (status is { } s)
        {
            query.Add("status=" + s);
        }
        if (!string.IsNullOrEmpty(after))
        {
            query.Add("after=" + Uri.EscapeDataString(after));
        }
        return "/settings/inbox" + (query.Count == 0 ? "" : "?" + string.Join('&', query)) + "#mensagens";
    }

    public static string StatusBadge(InboundStatus status) => status switch
    {
        InboundStatus.Appended or InboundStatus.CreatedTicket => "text-bg-success",
        InboundStatus.Unmatched => "text-bg-warning",
        InboundStatus.Quarantined => "text-bg-danger",
        _ => "text-bg-secondary",
    };
}
