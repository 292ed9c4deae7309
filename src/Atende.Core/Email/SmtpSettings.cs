namespace Atende.Core.Email;

/// <summary>How the SMTP connection is secured. Auto: TLS on connect for port 465, STARTTLS when offered otherwise.</summary>
public enum SmtpSecurity { None, StartTls, SslOnConnect, Auto }

/// <summary>The company's outgoing mail server (one row). The password is kept protected with ASP.NET Data Protection.</summary>
public class SmtpSettings
{
    public const long SingletonId = 1;
    public long Id { get; set; } = SingletonId;
    public string Host { get; set; } = "";
    public int Port { get; set; } = 587;
    public SmtpSecurity Security { get; set; } = SmtpSecurity.Auto;
    public string? UserName { get; set; }
    /// <summary>The password protected with the purpose <see cref="EmailSettingsService.PasswordPurpose"/>; never shown.</summary>
    public string? ProtectedPassword { get; set; }
    public string FromName { get; set; } = "";
    public string FromAddress { get; set; } = "";
    public DateTimeOffset UpdatedAt { get; set; }
}

/// <summary>What an admin types on the form or sends to the API. A blank password keeps the current one.</summary>
public sealed class SmtpInput
{
    public string? Host { get; set; }
    public int? Port { get; set; }
    public SmtpSecurity Security { get; set; } = SmtpSecurity.Auto;
    public string? UserName { get; set; }
    public string? Password { get; set; }
    public bool ClearPassword { get; set; }
    public string? FromName { get; set; }
    public string? FromAddress { get; set; }
}

/// <summary>The settings as shown: the password only as "is set".</summary>
public sealed record SmtpView(string Host, int Port, SmtpSecurity Security, string? UserName, bool PasswordSet, string FromName, string FromAddress, bool Configured);

/// <summary>Everything needed to connect and send, the password in clear: lives only in memory, never logged.</summary>
public sealed record SmtpAccount(string Host, int Port, SmtpSecurity Security, string? UserName, string? Password, string FromName, string FromAddress)
{
    public override string ToString() => $"{Host}:{Port} ({Security}) as {UserName ?? "-"}";
}
