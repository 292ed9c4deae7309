using System.Security.Cryptography;
using System.Text.RegularExpressions;
using Atende.Core.Common;
using Atende.Core.Data;
using Atende.Core.Events;
using Atende.Core.Files;
using Atende.Core.Identity;
using Atende.Core.Tickets;
using Microsoft.EntityFrameworkCore;
using MimeKit;

namespace Atende.Core.Email;

/// <summary>
/// Turns one message of the company mailbox into what it means, in one transaction with its <see cref="InboundEmail"/> row:
/// a public interaction on the ticket it answers (with its attachments), a new ticket, or a row saying why it was left alone.
/// <para>
/// A message answers a ticket when its In-Reply-To/References name one of our e-mails of that ticket (our Message-IDs carry a
/// random token), or when its subject carries the ticket's reference ("[SUP-12]") and its sender is a contact of the ticket's
/// partner or a user who may see the ticket. A reference in the subject from anyone else matches nothing: the From header,
/// which anyone can write, never puts text into another partner's ticket.
/// </para>
/// </summary>
public sealed partial class InboundMail(AtendeDb db, FileService files, EventLog events, PublicLinks links)
{
    /// <summary>Who adds a reply: nobody who could see or do anything else (the ticket was matched by the poller's own rules).</summary>
    private static readonly Caller Mailbox = new(0, "E-mail", UserRole.Portal, []);

    private const string EmptyBody = "<p><em>(mensagem sem texto)</em></p>";

    /// <summary>The key a message is processed once by: its Message-ID, or a hash of its bytes when it has none.</summary>
    public static string KeyOf(MimeMessage message)
    {
        if (!string.IsNullOrWhiteSpace(message.MessageId))
        {
            return Clip(message.MessageId.Trim(), 400);
        }
        using var stream = new MemoryStream();
        message.WriteTo(stream);
        return "sha256:" + Convert.ToHexStringLower(SHA256.HashData(stream.ToArray()));
    }

    /// <summary>
    /// Processes one message and saves its row; a message already processed in this mailbox is a unique-key conflict
    /// (then nothing is kept: neither rows nor the attachments' bytes).
    /// </summary>
    public async Task<InboundEmail> Process(MimeMessage message, string mailbox, ImapSettings settings, CancellationToken ct)
    {
        var from = message.From.Mailboxes.FirstOrDefault();
        var now = Clock.Now();
        var record = new InboundEmail
        {
            Mailbox = mailbox,
            MessageId = KeyOf(message),
            FromAddress = Clip(from?.Address ?? "", 254),
            FromName = string.IsNullOrWhiteSpace(from?.Name) ? null : Clip(from.Name.Trim(), 200),
            Subject = Clip(message.Subject ?? "", EmailOutbox.MaxSubjectLength),
            SentAt = message.Date == DateTimeOffset.MinValue ? now : message.Date,
            ProcessedAt = now,
        };
        // A failure, or losing the race with another node that processed the same message, rolls everything back and
        // deletes the attachments' bytes.
        return await files.InTransaction(async () =>
        {
            if (AutomaticReply(message) is { } automatic)
            {
                Leave(record, InboundStatus.Ignored, automatic);
            }
            else if (await db.OutboxEmails.AnyAsync(e => e.MessageId == record.MessageId, ct))
            {
                Leave(record, InboundStatus.Ignored, "E-mail enviado pelo próprio Atende.");
            }
            else if (from is null || !Partners.PartnerService.IsValidEmail(from.Address))
            {
                Leave(record, InboundStatus.Unmatched, "A mensagem não tem um remetente válido.");
            }
            else
            {
                var (ticket, why) = await FindTicket(message, from.Address, ct);
                if (ticket is not null)
                {
                    await Append(record, ticket, message, from, ct);
                    record.Status = InboundStatus.Appended;
                }
                else if (settings.Unmatched == UnmatchedMail.CreateTicket)
                {
                    await OpenTicket(record, settings, message, from, why, ct);
                }
                else
                {
                    Leave(record, InboundStatus.Unmatched, why);
                }
            }
            db.InboundEmails.Add(record);
            await db.SaveChangesAsync(ct);
            return record;
        }, ct);
    }

    private static void Leave(InboundEmail record, InboundStatus status, string why)
    {
        record.Status = status;
        record.Note = Clip(why, 2000);
    }

    /// <summary>Auto-replies (vacation, delivery reports) would answer our e-mails forever: they are recognized and ignored.</summary>
    private static string? AutomaticReply(MimeMessage message)
    {
        var auto = message.Headers[HeaderId.AutoSubmitted];
        if (!string.IsNullOrWhiteSpace(auto) && !auto.Trim().Equals("no", StringComparison.OrdinalIgnoreCase))
        {
            return $"Resposta automática (Auto-Submitted: {auto.Trim()}).";
        }
        var precedence = message.Headers[HeaderId.Precedence]?.Trim().ToLowerInvariant();
        if (precedence is "auto_reply" or "bulk" or "junk")
        {
            return $"Resposta automática (Precedence: {precedence}).";
        }
        if (message.Body is MultipartReport)
        {
            return "Aviso de entrega do servidor de e-mail.";
        }
        return null;
    }

    /// <summary>The ticket the message answers, or null and why none (pt-BR).</summary>
    private async Task<(Ticket? Ticket, string Why)> FindTicket(MimeMessage message, string address, CancellationToken ct)
    {
        var cited = message.References.Append(message.InReplyTo).Where(r => !string.IsNullOrWhiteSpace(r)).Select(r => r!.Trim()).Distinct().Take(100).ToList();
        if (cited.Count > 0)
        {
            var ticketId = await db.OutboxEmails.Where(e => e.MessageId != null && cited.Contains(e.MessageId) && e.TicketId != null)
                .OrderByDescending(e => e.Id).Select(e => e.TicketId).FirstOrDefaultAsync(ct);
            if (ticketId is { } id && await db.Tickets.FirstOrDefaultAsync(t => t.Id == id, ct) is { } answered)
            {
                return answered.Bin == TicketBin.Trash ? (null, $"Responde ao atendimento {answered.Reference}, que está na lixeira.") : (answered, "");
            }
        }
        var references = ReferenceInSubject().Matches(message.Subject ?? "").Select(m => m.Groups[1].Value.ToUpperInvariant()).Distinct().Take(5).ToList();
        if (references.Count == 0)
        {
            return (null, "Não cita nem responde a um atendimento.");
        }
        var why = $"Nenhum atendimento {string.Join(", ", references)}.";
        foreach (var reference in references)
        {
            var ticket = await db.Tickets.FirstOrDefaultAsync(t => t.Reference == reference, ct);
            if (ticket is null)
            {
                continue;
            }
            if (await MaySpeakFor(ticket, address, ct))
            {
                return ticket.Bin == TicketBin.Trash ? (null, $"O atendimento {ticket.Reference} está na lixeira.") : (ticket, "");
            }
            var partner = await db.Partners.Where(p => p.Id == ticket.PartnerId).Select(p => p.Name).FirstAsync(ct);
            why = $"O assunto cita {ticket.Reference}, mas {address} não é contato de {partner} nem usuário com acesso ao atendimento.";
        }
        return (null, why);
    }

    /// <summary>A contact of the ticket's partner, or an active user who may see the ticket.</summary>
    private async Task<bool> MaySpeakFor(Ticket ticket, string address, CancellationToken ct)
    {
        var key = address.Trim().ToLowerInvariant();
        if (await db.ContactEmails.AnyAsync(e => e.AddressKey == key && db.Contacts.Any(c => c.Id == e.ContactId && c.PartnerId == ticket.PartnerId), ct))
        {
            return true;
        }
        return await StaffWhoSees(ticket, address, ct) is not null;
    }

    /// <summary>The active staff user with this e-mail address, if they may see the ticket (<see cref="Visibility.UsersWhoSee"/>).</summary>
    private async Task<long?> StaffWhoSees(Ticket ticket, string address, CancellationToken ct)
    {
        var normalized = address.Trim().ToUpperInvariant();
        return await Visibility.UsersWhoSee(db, ticket.PipelineId, ticket.WorkspaceId)
            .Where(u => u.NormalizedEmail == normalized).Select(u => (long?)u.Id).FirstOrDefaultAsync(ct);
    }

    /// <summary>The reply as a public interaction with its attachments; the assignee is notified.</summary>
    private async Task Append(InboundEmail record, Ticket ticket, MimeMessage message, MailboxAddress from, CancellationToken ct)
    {
        var fileIds = new List<long>();
        var refused = new List<string>();
        foreach (var part in message.Attachments)
        {
            await Store(part, fileIds, refused, ct);
        }
        var body = ReplyText.Body(message);
        if (body.Length > 100_000)
        {
            body = RichText.Sanitize("<p>" + System.Net.WebUtility.HtmlEncode(RichText.PlainText(body)[..90_000]) + "…</p>");
            refused.Add("O texto da mensagem foi cortado por passar de 100.000 caracteres.");
        }
        var author = await StaffWhoSees(ticket, from.Address, ct);
        var interaction = new Interaction
        {
            TicketId = ticket.Id,
            Body = RichText.IsEmpty(body) ? EmptyBody : body,
            Internal = false,
            AuthorId = author,
            FromAddress = record.FromAddress,
            FromName = record.FromName,
            CreatedAt = record.ProcessedAt,
        };
        await new TicketService(db, Mailbox, events, links).AddReply(ticket, interaction, fileIds,
            Clip($"Resposta por e-mail de {record.FromName ?? record.FromAddress} em {ticket.Reference}: {ticket.Title}", 500), ct);
        record.TicketId = ticket.Id;
        record.InteractionId = interaction.Id;
        if (refused.Count > 0)
        {
            record.Note = Clip(string.Join(" ", refused), 2000);
        }
    }

    /// <summary>Stores one attachment as an uploaded file would be (type and size checks); a refused one is named in the note.</summary>
    private async Task Store(MimeEntity part, List<long> fileIds, List<string> refused, CancellationToken ct)
    {
        using var content = new MemoryStream();
        string name;
        switch (part)
        {
            case MimePart mime when mime.Content is not null:
                name = string.IsNullOrWhiteSpace(mime.FileName) ? FileService.DefaultName : mime.FileName;
                await mime.Content.DecodeToAsync(content, ct);
                break;
            case MessagePart attached when attached.Message is not null:
                name = attached.ContentDisposition?.FileName ?? ((attached.Message.Subject ?? "mensagem") + ".eml");
                await attached.Message.WriteToAsync(content, ct);
                break;
            default:
                return;
        }
        content.Position = 0;
        try
        {
            fileIds.Add((await files.Save(name, content, ct)).Id);
        }
        catch (ValidationException e)
        {
            refused.Add("Anexo não importado: " + e.Message);
        }
    }

    /// <summary>With "abrir atendimento": a ticket for the sender's partner, in the user's name the settings give; else left unread.</summary>
    private async Task OpenTicket(InboundEmail record, ImapSettings settings, MimeMessage message, MailboxAddress from, string why, CancellationToken ct)
    {
        if (settings.UnmatchedPipelineId is not { } pipelineId || settings.UnmatchedCreatorId is not { } creatorId)
        {
            Leave(record, InboundStatus.Unmatched, why + " Escolha o fluxo e o usuário para abrir atendimentos por e-mail.");
            return;
        }
        var key = from.Address.Trim().ToLowerInvariant();
        var senders = await (
                from e in db.ContactEmails
                join c in db.Contacts on e.ContactId equals c.Id
                join p in db.Partners on c.PartnerId equals p.Id
                where e.AddressKey == key && p.Active
                orderby c.Id
                select new { ContactId = c.Id, PartnerId = p.Id, PartnerName = p.Name })
            .Take(20).ToListAsync(ct);
        var partners = senders.Select(s => s.PartnerId).Distinct().ToList();
        if (partners.Count == 0)
        {
            Leave(record, InboundStatus.Unmatched, why + $" Nenhum contato de parceiro ativo tem o e-mail {from.Address}.");
            return;
        }
        if (partners.Count > 1)
        {
            Leave(record, InboundStatus.Unmatched, why + $" O e-mail {from.Address} é de contatos de mais de um parceiro ({string.Join(", ", senders.Select(s => s.PartnerName).Distinct())}).");
            return;
        }
        if (await CallerFactory.Load(db, creatorId, ct: ct) is not { IsStaff: true } creator)
        {
            Leave(record, InboundStatus.Unmatched, why + " O usuário que abre atendimentos por e-mail está inativo.");
            return;
        }
        var title = ThreadPrefix().Replace(message.Subject ?? "", "").Trim();
        var input = new TicketInput
        {
            Title = title.Length == 0 ? "(sem assunto)" : Clip(title, 200),
            PartnerId = senders[0].PartnerId,
            ContactId = senders[0].ContactId,
        };
        Ticket ticket;
        try
        {
            ticket = await new TicketService(db, creator, events, links).Create(pipelineId, input, ct);
        }
        catch (Exception e) when (e is ValidationException or NotFoundException or ForbiddenException)
        {
            db.ChangeTracker.Clear();
            Leave(record, InboundStatus.Unmatched, why + " Não foi possível abrir o atendimento: " + e.Message);
            return;
        }
        await Append(record, ticket, message, from, ct);
        record.Status = InboundStatus.CreatedTicket;
    }

    private static string Clip(string text, int max) => text.Length <= max ? text : text[..max];

    [GeneratedRegex(@"\[([A-Za-z][A-Za-z0-9]{0,9}-[0-9]{1,18})\]")]
    private static partial Regex ReferenceInSubject();

    [GeneratedRegex(@"^(\s*(re|res|fw|fwd|enc|encaminhado|tr|aw|wg)\s*(\[\d+\])?\s*:\s*)+", RegexOptions.IgnoreCase)]
    private static partial Regex ThreadPrefix();
}
