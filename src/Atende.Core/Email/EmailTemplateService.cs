using Atende.Core.Common;
using Atende.Core.Data;
using Atende.Core.Identity;
using Atende.Core.Tickets;
using Microsoft.EntityFrameworkCore;

namespace Atende.Core.Email;

public sealed class EmailTemplateInput
{
    /// <summary>Null or Custom to create (only custom templates are created); null or the template's own to update.</summary>
    public EmailTemplatePurpose? Purpose { get; set; }
    public string? Name { get; set; }
    public string? Subject { get; set; }
    /// <summary>HTML (sanitized on save) or plain text.</summary>
    public string? Body { get; set; }
    public bool Active { get; set; } = true;
}

/// <summary>A template as the settings show it, with the name of who changed it last.</summary>
public sealed record EmailTemplateView(long Id, EmailTemplatePurpose Purpose, string Name, string Subject, string Body, bool Active, int Version,
    DateTimeOffset? UpdatedAt, long? UpdatedById, string? UpdatedByName)
{
    public bool IsAutomatic => Purpose != EmailTemplatePurpose.Custom;

    /// <summary>An automatic template whose subject and body are the standard ones.</summary>
    public bool StandardText => IsAutomatic && EmailTemplateDefaults.IsStandard(Purpose, Subject, Body);
}

/// <summary>A custom template the staff may insert into an interaction.</summary>
public sealed record InsertableTemplate(long Id, string Name);

/// <summary>
/// Modelos de e-mail: admins edit the automatic ticket e-mails and write custom templates (created, edited, deleted here);
/// every staff user inserts the active custom ones into a ticket's interaction, filled in for that ticket.
/// </summary>
public sealed class EmailTemplateService(AtendeDb db, Caller caller, TicketService tickets, PublicLinks links, VersionedCache? cache = null)
{
    public const int MaxNameLength = 100;
    public const int MaxSubjectLength = 200;
    public const int MaxBodyLength = 50_000;

    private static readonly System.Globalization.CultureInfo PtBr = System.Globalization.CultureInfo.GetCultureInfo("pt-BR");

    /// <summary>The interaction the preview shows in place of {{interacao}}.</summary>
    private const string SampleInteraction = "<p>Segue em anexo a segunda via do boleto, com vencimento no dia 10. Qualquer dúvida, estamos à disposição.</p>";

    private const string Stale = "Este modelo foi alterado por outra pessoa enquanto você editava. Recarregue e tente de novo.";

    /// <summary>The three automatic templates, in the order the e-mails happen (status change, Notificar, Salvar e notificar).</summary>
    public async Task<List<EmailTemplateView>> Automatic(CancellationToken ct = default)
    {
        caller.RequireAdmin();
        var rows = await Views(db.EmailTemplates.Where(t => t.Purpose != EmailTemplatePurpose.Custom)).ToListAsync(ct);
        return rows.OrderBy(t => t.Purpose).ToList();
    }

    /// <summary>Templates by name, a keyset page at a time; <paramref name="purpose"/> narrows to one purpose.</summary>
    public async Task<Page<EmailTemplateView>> List(EmailTemplatePurpose? purpose, string? after, int limit = 50, CancellationToken ct = default)
    {
        caller.RequireAdmin();
        var cursor = Cursor.Decode(after);
        var query = db.EmailTemplates.AsQueryable();
        if (purpose is { } p)
        {
            query = query.Where(t => t.Purpose == p);
        }
        if (cursor is not null)
        {
            query = query.Where(t => string.Compare(t.SortName, cursor.Key) >= 0 && (string.Compare(t.SortName, cursor.Key) > 0 || t.Id > cursor.Id));
        }
        return await Views(query.OrderBy(t => t.SortName).ThenBy(t => t.Id)).ToPageAsync(limit, r => new Cursor(SearchText.Normalize(r.Name), r.Id), ct);
    }

    public async Task<EmailTemplateView> Get(long id, CancellationToken ct = default)
    {
        caller.RequireAdmin();
        return await Views(db.EmailTemplates.Where(t => t.Id == id)).FirstOrDefaultAsync(ct) ?? throw new NotFoundException("Modelo de e-mail não encontrado.");
    }

    /// <summary>A custom template (the automatic ones exist once each and are only edited).</summary>
    public async Task<EmailTemplateView> Create(EmailTemplateInput input, CancellationToken ct = default)
    {
        caller.RequireAdmin();
        var template = new EmailTemplate { Purpose = EmailTemplatePurpose.Custom, Version = 1 };
        await Apply(template, input, ct);
        db.EmailTemplates.Add(template);
        await Save(ct);
        return await Get(template.Id, ct);
    }

    public async Task<EmailTemplateView> Update(long id, int version, EmailTemplateInput input, CancellationToken ct = default)
    {
        caller.RequireAdmin();
        var template = await Load(id, version, ct);
        await Apply(template, input, ct);
        template.Version++;
        await Save(ct);
        return await Get(id, ct);
    }

    /// <summary>Puts the standard subject and body back into an automatic template (name and active flag stay).</summary>
    public async Task<EmailTemplateView> RestoreStandardText(long id, int version, CancellationToken ct = default)
    {
        caller.RequireAdmin();
        var template = await Load(id, version, ct);
        if (!template.IsAutomatic)
        {
            throw new ConflictException("Só os modelos dos e-mails automáticos têm texto padrão.");
        }
        var standard = EmailTemplateDefaults.For(template.Purpose);
        template.Subject = standard.Subject;
        template.Body = standard.Body;
        Touch(template);
        template.Version++;
        await Save(ct);
        return await Get(id, ct);
    }

    /// <summary>Deletes a custom template; the automatic ones cannot be deleted (409).</summary>
    public async Task Delete(long id, CancellationToken ct = default)
    {
        caller.RequireAdmin();
        var template = await db.EmailTemplates.FirstOrDefaultAsync(t => t.Id == id, ct) ?? throw new NotFoundException("Modelo de e-mail não encontrado.");
        if (template.IsAutomatic)
        {
            throw new ConflictException($"O modelo \"{template.Name}\" é o texto de um e-mail automático e não pode ser excluído. Para não enviar este e-mail, desative o modelo.");
        }
        db.EmailTemplates.Remove(template);
        await db.SaveChangesAsync(ct);
    }

    /// <summary>
    /// The e-mail a subject and body (not saved yet) make for a purpose, checked like a save: with a ticket's values, or with
    /// sample values when <paramref name="ticketId"/> is null.
    /// </summary>
    public async Task<RenderedEmail> Preview(EmailTemplatePurpose purpose, string? subject, string? body, long? ticketId, CancellationToken ct = default)
    {
        caller.RequireAdmin();
        if (!Enum.IsDefined(purpose))
        {
            throw new ValidationException("purpose", "Finalidade desconhecida: use Custom, StatusChanged, Assigned ou Interaction.");
        }
        var v = new Validation();
        var (cleanSubject, cleanBody) = CheckTexts(v, purpose, subject, body);
        v.ThrowIfAny();
        var values = ticketId is { } id ? await tickets.TemplateValues(id, ct) : await SampleValues(ct);
        return Placeholders.Render(cleanSubject, cleanBody, values with { InteractionHtml = SampleInteraction });
    }

    /// <summary>The active custom templates, for a ticket the caller may see (404 otherwise).</summary>
    public async Task<List<InsertableTemplate>> Insertable(long ticketId, CancellationToken ct = default)
    {
        caller.RequireStaff();
        await tickets.RequireVisible(ticketId, ct);
        return await InsertableRows(ct);
    }

    /// <summary>The active custom templates to insert into a ticket already read through the caller's visibility (<c>TicketService.Get</c>).</summary>
    public Task<List<InsertableTemplate>> Insertable(Ticket visible, CancellationToken ct = default)
    {
        caller.RequireStaff();
        return InsertableRows(ct);
    }

    /// <summary>From <see cref="VersionedCache"/> while no template changed. Shared: never change the list.</summary>
    private async Task<List<InsertableTemplate>> InsertableRows(CancellationToken ct) =>
        cache is null ? await LoadInsertableRows(ct) : await cache.Get(caller, "insertable-templates", () => LoadInsertableRows(ct));

    private Task<List<InsertableTemplate>> LoadInsertableRows(CancellationToken ct) =>
        db.EmailTemplates.AsNoTracking().Where(t => t.Purpose == EmailTemplatePurpose.Custom && t.Active)
            .OrderBy(t => t.SortName).Take(200).Select(t => new InsertableTemplate(t.Id, t.Name)).ToListAsync(ct);

    /// <summary>An active custom template filled in with the values of a ticket the caller may see, to insert into an interaction.</summary>
    public async Task<RenderedEmail> RenderForTicket(long ticketId, long templateId, CancellationToken ct = default)
    {
        caller.RequireStaff();
        var values = await tickets.TemplateValues(ticketId, ct);
        var template = await db.EmailTemplates.AsNoTracking()
            .FirstOrDefaultAsync(t => t.Id == templateId && t.Purpose == EmailTemplatePurpose.Custom && t.Active, ct)
            ?? throw new NotFoundException("Modelo de e-mail não encontrado ou desativado.");
        return Placeholders.Render(template.Subject, template.Body, values);
    }

    /// <summary>
    /// The automatic template of <paramref name="purpose"/> for an e-mail being written, read on the caller's context (inside
    /// its transaction). Should the row be missing (never through the app), the standard text is used.
    /// </summary>
    public static async Task<EmailTemplate> ForEmail(AtendeDb db, EmailTemplatePurpose purpose, CancellationToken ct)
    {
        var template = await db.EmailTemplates.AsNoTracking().FirstOrDefaultAsync(t => t.Purpose == purpose, ct);
        if (template is not null)
        {
            return template;
        }
        var standard = EmailTemplateDefaults.For(purpose);
        return new EmailTemplate { Purpose = purpose, Name = standard.Name, Subject = standard.Subject, Body = standard.Body, Active = true };
    }

    /// <summary>What the preview shows without a ticket: believable values, the company's name and the admin's own.</summary>
    private async Task<TemplateValues> SampleValues(CancellationToken ct)
    {
        var company = await db.CompanyProfiles.AsNoTracking().Select(c => new { c.Name, c.PublicUrl }).FirstOrDefaultAsync(ct);
        return new TemplateValues("Maria Souza", "Padaria Pão Quente Ltda", "SUP-123", "Segunda via do boleto", TicketService.StatusName(TicketStatus.Analyzing),
            "Bruno Lima", links.Ticket(123, company?.PublicUrl), company?.Name ?? "", caller.Name);
    }

    private IQueryable<EmailTemplateView> Views(IQueryable<EmailTemplate> query) =>
        query.AsNoTracking().Select(t => new EmailTemplateView(t.Id, t.Purpose, t.Name, t.Subject, t.Body, t.Active, t.Version, t.UpdatedAt, t.UpdatedById,
            db.Users.Where(u => u.Id == t.UpdatedById).Select(u => u.Name).FirstOrDefault()));

    private async Task<EmailTemplate> Load(long id, int version, CancellationToken ct)
    {
        var template = await db.EmailTemplates.FirstOrDefaultAsync(t => t.Id == id, ct) ?? throw new NotFoundException("Modelo de e-mail não encontrado.");
        if (!Versions.Matches(template.Version, version))
        {
            throw new StaleVersionException(Stale);
        }
        return template;
    }

    private async Task Apply(EmailTemplate template, EmailTemplateInput input, CancellationToken ct)
    {
        var v = new Validation();
        if (input.Purpose is { } purpose && purpose != template.Purpose)
        {
            v.Add("purpose", template.Id == 0
                ? "Só é possível criar modelos personalizados (Custom): os modelos dos e-mails automáticos já existem e podem ser editados."
                : "A finalidade de um modelo não pode ser mudada.");
        }
        var name = v.Text("name", "Nome", input.Name, MaxNameLength);
        var (subject, body) = CheckTexts(v, template.Purpose, input.Subject, input.Body);
        var sortName = SearchText.Normalize(name);
        if (name.Length > 0 && await db.EmailTemplates.AnyAsync(t => t.Id != template.Id && t.SortName == sortName, ct))
        {
            v.Add("name", $"Já existe um modelo de e-mail chamado \"{name}\".");
        }
        v.ThrowIfAny();
        template.Name = name;
        template.SortName = sortName;
        template.Subject = subject;
        template.Body = body;
        template.Active = input.Active;
        Touch(template);
    }

    /// <summary>The cleaned subject and sanitized body, with their errors (length, emptiness, placeholders) added to <paramref name="v"/>.</summary>
    private static (string Subject, string Body) CheckTexts(Validation v, EmailTemplatePurpose purpose, string? subject, string? body)
    {
        var cleanSubject = v.Text("subject", "Assunto", subject, MaxSubjectLength);
        foreach (var problem in Placeholders.Problems(cleanSubject, purpose, isBody: false))
        {
            v.Add("subject", problem);
        }
        var tooLong = $"O texto pode ter no máximo {MaxBodyLength.ToString("N0", PtBr)} caracteres.";
        // Far too long is refused before the sanitizer spends time on it.
        var cleanBody = (body?.Length ?? 0) > 4 * MaxBodyLength ? "" : RichText.Sanitize(body);
        if ((body?.Length ?? 0) > 4 * MaxBodyLength || cleanBody.Length > MaxBodyLength)
        {
            v.Add("body", tooLong);
        }
        else if (RichText.IsEmpty(cleanBody))
        {
            v.Add("body", "O texto do e-mail é obrigatório.");
        }
        else
        {
            foreach (var problem in Placeholders.Problems(cleanBody, purpose, isBody: true))
            {
                v.Add("body", problem);
            }
        }
        return (cleanSubject, cleanBody);
    }

    private void Touch(EmailTemplate template)
    {
        template.UpdatedAt = Clock.Now();
        template.UpdatedById = caller.UserId;
    }

    private async Task Save(CancellationToken ct)
    {
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            throw new StaleVersionException(Stale);
        }
        catch (DbUpdateException)
        {
            throw new ValidationException("name", "Já existe um modelo de e-mail com este nome.");
        }
    }
}
