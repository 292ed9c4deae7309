using System.Security.Cryptography;
using MailKit.Security;
using Microsoft.AspNetCore.DataProtection;

namespace Atende.Core.Email;

/// <summary>What the SMTP and IMAP connections share: how a saved password is read back, and how the security choice maps to MailKit's.</summary>
public static class MailConnections
{
    /// <summary>The password in clear, or null when none is saved or it cannot be unprotected.</summary>
    public static string? Password(IDataProtectionProvider protection, string purpose, string? protectedPassword)
    {
        if (protectedPassword is null)
        {
            return null;
        }
        try
        {
            return protection.CreateProtector(purpose).Unprotect(protectedPassword);
        }
        catch (CryptographicException)
        {
            // Keys lost or not shared between nodes: the login fails and says so; the admin types the password again.
            return null;
        }
    }

    public static SecureSocketOptions Options(SmtpSecurity security) => security switch
    {
        SmtpSecurity.None => SecureSocketOptions.None,
        SmtpSecurity.StartTls => SecureSocketOptions.StartTls,
        SmtpSecurity.SslOnConnect => SecureSocketOptions.SslOnConnect,
        _ => SecureSocketOptions.Auto,
    };
}
