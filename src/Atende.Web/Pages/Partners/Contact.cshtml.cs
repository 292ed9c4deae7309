using Atende.Core.Common;
using Atende.Core.Partners;
using Atende.Web.Infrastructure;
using Microsoft.AspNetCore.Mvc;

namespace Atende.Web.Pages.Partners;

public sealed class ContactModel(PartnerService partners) : PartnerFormPage
{
    [BindProperty] public ContactInput Input { get; set; } = new();

    public Partner Partner { get; private set; } = null!;
    public long? ContactId { get; private set; }

    public async Task<IActionResult> OnGet(long id, long? contactId, CancellationToken ct)
    {
        Partner = await partners.Get(id, ct);
        ContactId = contactId;
        if (contactId is { } cid)
        {
            var c = Partner.Contacts.FirstOrDefault(x => x.Id == cid) ?? throw new NotFoundException("Contato não encontrado.");
            Version = c.Version;
            Input = new ContactInput
            {
                Name = c.Name,
                Phones = c.Phones.OrderBy(x => x.Position).Select(x =>
                {
                    var (country, area, number) = PhoneRules.Split(x.E164);
                    return new PhoneInput { Country = country, AreaCode = area, Number = country == "BR" && number.Length is 8 or 9 ? number[..^4] + "-" + number[^4..] : number, Type = x.Type };
                }).ToList(),
                Emails = c.Emails.OrderBy(x => x.Position).Select(x => (string?)x.Address).ToList(),
                SocialProfiles = c.SocialProfiles.OrderBy(x => x.Network).Select(x => new SocialProfileInput { Network = x.Network, Handle = x.Handle }).ToList(),
            };
        }
        else
        {
            Input.Phones.Add(new PhoneInput());
            Input.Emails.Add("");
        }
        return Page();
    }

    public async Task<IActionResult> OnPost(long id, long? contactId, CancellationToken ct)
    {
        ContactId = contactId;
        Contact? contact = null;
        if (await TrySave(async () => contact = contactId is { } cid
                ? await partners.UpdateContact(id, cid, Version, Input, ConfirmDuplicates, ct)
                : await partners.AddContact(id, Input, ConfirmDuplicates, ct)))
        {
            Flash(contactId is null ? $"Contato \"{contact!.Name}\" adicionado." : $"Contato \"{contact!.Name}\" atualizado.");
            return Redirect($"/partners/{id}?tab=contatos");
        }
        Partner = await partners.Get(id, ct);
        return Page();
    }
}
