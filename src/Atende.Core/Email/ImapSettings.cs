namespace Atende.Core.Email;

/// <summary>What the poller does with a message that answers no ticket.</summary>
public enum UnmatchedMail { LeaveUnread, CreateTicket }

/// <summary>
/// The company mailbox that receives replies (one row): the IMAP server, the folder to read, and what to do with mail that
/// answers no ticket. The password is kept protected with ASP.NET Data Protection, like the SMTP one.
/// </summary>
public class ImapSettings
{
    public const long SingletonId = 1;
    public long Id { get; set; } = SingletonId;
    public bool Enabled { get; set; }
    public string Host { get; set; } = "";
    public int Port { get; set; } = 993;
    public SmtpSecurity Security { get; set; } = SmtpSecurity.Auto;
    public string UserName { get; set; } = "";
    /// <summary>Protected with the purpose <see cref="ImapSettingsService.PasswordPurpose"/>; never shown.</summary>
    public string? ProtectedPassword { get; set; }
    public string Folder { get; set; } = "INBOX";
    public UnmatchedMail Unmatched { get; set; } = UnmatchedMail.LeaveUnread;
    /// <summary>Where a ticket is opened for a message that answers none (with <see cref="UnmatchedMail.CreateTicket"/>).</summary>
    public long? UnmatchedPipelineId { get; set; }
    /// <summary>The user in whose name those tickets are opened: what they may see bounds which partners get one.</summary>
    public long? UnmatchedCreatorId { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
    /// <summary>The last round of the poller: when, and what it found or why it failed (pt-BR).</summary>
    public DateTimeOffset? LastPollAt { get; set; }
    public string? LastPollResult { get; set; }
    public bool LastPollFailed { get; set; }
    /// <summary>The last round that read the mailbox without failing (the metric atende.imap.last_success).</summary>
    public DateTimeOffset? LastSuccessAt { get; set; }
}

/// <summary>What an admin types on the form or sends to the API. A blank password keeps the current one.</summary>
public sealed class ImapInput
{
    public bool Enabled { get; set; }
    public string? Host { get; set; }
    public int? Port { get; set; }
    public SmtpSecurity Security { get; set; } = SmtpSecurity.Auto;
    public string? UserName { get; set; }
    public string? Password { get; set; }
    public string? Folder { get; set; }
    public UnmatchedMail Unmatched { get; set; } = UnmatchedMail.LeaveUnread;
    public long? UnmatchedPipelineId { get; set; }
    public long? UnmatchedCreatorId { get; set; }
}

/// <summary>The settings as shown: the password only as "is set".</summary>
public sealed record ImapView(bool Enabled, string Host, int Port, SmtpSecurity Security, string UserName, bool PasswordSet, string Folder,
    UnmatchedMail Unmatched, long? UnmatchedPipelineId, long? UnmatchedCreatorId, DateTimeOffset? LastPollAt, string? LastPollResult, bool LastPollFailed);

/// <summary>Everything needed to log in, the password in clear: lives only in memory, never logged.</summary>
public sealed record ImapAccount(string Host, int Port, SmtpSecurity Security, string UserName, string? Password, string Folder)
{
    /// <summary>The mailbox's name in <see cref="InboundEmail.Mailbox"/>: a message is processed once per mailbox.</summary>
    public string Mailbox => (UserName + "@" + Host).ToLowerInvariant();

    public override string ToString() => $"{UserName}@{Host}:{Port} ({Security}) {Folder}";
}
