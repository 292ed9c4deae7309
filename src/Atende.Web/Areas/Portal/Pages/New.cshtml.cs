using Atende.Core.Common;
using Atende.Core.Portal;
using Atende.Core.Tickets;
using Atende.Web.Infrastructure;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;

namespace Atende.Web.Areas.Portal.Pages;

/// <summary>"Novo contato": a request to the company, which becomes a ticket of the portal's pipeline.</summary>
[EnableRateLimiting(RateLimits.PortalRequest)]
public sealed class NewModel(PortalService portal) : AppPage, IFormPage
{
    [BindProperty]
    public PortalRequestInput Input { get; set; } = new();

    public PortalFormOptions Options { get; private set; } = null!;

    public async Task OnGet(CancellationToken ct)
    {
        Options = await portal.FormOptions(ct);
        Input.ContactName = Options.ContactName;
        Input.Phone = Options.Phone;
        Input.Email = Options.Email;
        if (Options.Categories.Count == 1)
        {
            Input.CategoryId = Options.Categories[0].Id;
        }
    }

    public async Task<IActionResult> OnPost(List<IFormFile> files, CancellationToken ct)
    {
        // Refusals (validation, a conflict) come back through CorePageErrors: the form again, with what was typed.
        var ticket = await portal.Create(Input, files.Select(f => new Upload(f.FileName, f.OpenReadStream())).ToList(), ct);
        Flash($"Pedido {ticket.Reference} enviado. Enviamos a confirmação para o seu e-mail; as respostas da equipe aparecem aqui.");
        return Redirect($"/portal/pedidos/{ticket.Id}");
    }

    public async Task Redisplay(CancellationToken ct) => Options = await portal.FormOptions(ct);

    /// <summary>The form's fields in the order of the error summary.</summary>
    public static readonly IReadOnlyList<(string Key, string FieldId)> Fields =
    [
        ("Input.CategoryId", "Input_CategoryId"), ("Input.SubcategoryId", "Input_SubcategoryId"), ("Input.ChannelId", "Input_ChannelId"),
        ("Input.ContactName", "Input_ContactName"), ("Input.Phone", "Input_Phone"), ("Input.Email", "Input_Email"), ("Input.Subject", "Input_Subject"),
        ("Input.Message", "Input_Message"), ("Input.Files", "files"), ("Input.File", "files"),
    ];
}
