using Atende.Core.Queue;
using System.Security.Cryptography;
using Atende.Core.Common;
using Atende.Core.Data;

namespace Atende.Core.Email;

/// <summary>An e-mail to write to the outbox. At least one of the bodies; files are <c>StoredFile</c> ids.</summary>
public sealed record EmailDraft(IReadOnlyList<string> To, string Subject, string? HtmlBody, string? TextBody, long? TicketId = null, IReadOnlyList<long>? FileIds = null);

/// <summary>
/// Writes e-mails to the outbox. <see cref="Enqueue"/> only adds the row to the caller's <see cref="AtendeDb"/>: it is saved by the
/// caller's SaveChanges, inside the caller's transaction (UnitOfWork), together with the change that causes it. The dispatcher
/// is woken when that commit happens (<see cref="Queue.AfterCommit"/>).
/// </summary>
public sealed class EmailOutbox(AtendeDb db)
{
    public const int MaxSubjectLength = 500;
    public const int MaxBodyLength = 1_000_000;

    public OutboxEmail Enqueue(EmailDraft draft)
    {
        var v = new Validation();
        var to = draft.To.Select(a => Data.SearchText.Clean(a)).Where(a => a.Length > 0).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        if (to.Count == 0)
        {
            v.Add("to", "Informe ao menos um destinatário.");
        }
        foreach (var address in to.Where(a => !Partners.PartnerService.IsValidEmail(a)))
        {
            v.Add("to", $"E-mail inválido: {address}.");
        }
        var subject = v.Text("subject", "Assunto", draft.Subject, MaxSubjectLength);
        if (string.IsNullOrWhiteSpace(draft.HtmlBody) && string.IsNullOrWhiteSpace(draft.TextBody))
        {
            v.Add("body", "O e-mail precisa de um texto.");
        }
        if ((draft.HtmlBody?.Length ?? 0) > MaxBodyLength || (draft.TextBody?.Length ?? 0) > MaxBodyLength)
        {
            v.Add("body", $"O texto do e-mail pode ter no máximo {MaxBodyLength} caracteres.");
        }
        v.ThrowIfAny();
        var now = Clock.Now();
        var email = new OutboxEmail
        {
            To = string.Join(", ", to),
            Subject = subject,
            HtmlBody = string.IsNullOrWhiteSpace(draft.HtmlBody) ? null : draft.HtmlBody,
            TextBody = string.IsNullOrWhiteSpace(draft.TextBody) ? null : draft.TextBody,
            TicketId = draft.TicketId,
            Token = RandomNumberGenerator.GetHexString(16, lowercase: true),
            Status = LeaseStatus.Pending,
            CreatedAt = now,
            NextAttemptAt = now,
            Attachments = (draft.FileIds ?? []).Distinct().Select(id => new OutboxAttachment { FileId = id }).ToList(),
        };
        db.OutboxEmails.Add(email);
        Queue.AfterCommit.Mark(db, Queue.QueueKind.Outbox);
        return email;
    }
}
