using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Xml.Linq;
using Atende.Core.Data;
using Atende.Core.Files;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Atende.Web.Infrastructure;

/// <summary>
/// The data-protection key ring (<c>&lt;data&gt;/keys</c>): it protects the sign-in cookies and the saved SMTP/IMAP passwords
/// and webhook secrets. With <c>Atende:DataProtection:CertificatePath</c> (a .pfx with its private key, and
/// <c>CertificatePassword</c>) the keys are encrypted with that certificate before they reach the disk; without it they are
/// stored in the clear (owner-only files) and the start-up log says so every time. <see cref="Check"/> runs at start, so a ring
/// that cannot be read or decrypted, a certificate that cannot be opened, or a ring lost while the database still holds what it
/// protected stops the app with a message instead of failing at the first sign-in or e-mail.
/// </summary>
public static class KeyRing
{
    public const string CertificatePathKey = "Atende:DataProtection:CertificatePath";
    public const string CertificatePasswordKey = "Atende:DataProtection:CertificatePassword";
    /// <summary>Start with a new, empty key ring although the database holds protected secrets (they are then lost: enter them again).</summary>
    public const string AllowNewKeyRingKey = "Atende:DataProtection:AllowNewKeyRing";

    /// <summary>What <see cref="Check"/> needs to know about the configuration.</summary>
    private sealed record Settings(string KeysPath, string? CertificatePath, string? CertificateError, bool AllowNewKeyRing);

    public static void AddAtendeDataProtection(this IServiceCollection services, IConfiguration config, string dataPath)
    {
        var keysPath = Path.Combine(dataPath, "keys");
        var builder = services.AddDataProtection().SetApplicationName("Atende");
        services.AddSingleton<IConfigureOptions<KeyManagementOptions>>(sp => new ConfigureOptions<KeyManagementOptions>(o =>
            o.XmlRepository = new OwnerOnlyKeyRepository(OwnerOnly.CreateDirectory(keysPath), sp.GetRequiredService<ILoggerFactory>())));

        var certificatePath = config[CertificatePathKey];
        string? certificateError = null;
        if (!string.IsNullOrWhiteSpace(certificatePath))
        {
            certificatePath = Path.GetFullPath(certificatePath);
            try
            {
                builder.ProtectKeysWithCertificate(LoadCertificate(certificatePath, config[CertificatePasswordKey]));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or CryptographicException or InvalidOperationException)
            {
                // Reported by Check, at start, with the rest of the key ring's problems.
                certificateError = e.Message;
            }
        }
        services.AddSingleton(new Settings(keysPath, certificatePath, certificateError, config.GetValue(AllowNewKeyRingKey, false)));
    }

    private static X509Certificate2 LoadCertificate(string path, string? password)
    {
        if (!File.Exists(path))
        {
            throw new InvalidOperationException($"{CertificatePathKey}: no file at {path}.");
        }
        X509Certificate2 certificate;
        try
        {
            certificate = X509CertificateLoader.LoadPkcs12FromFile(path, password, X509KeyStorageFlags.EphemeralKeySet);
        }
        catch (CryptographicException e)
        {
            throw new InvalidOperationException(
                $"{CertificatePathKey}: {path} cannot be opened as a PKCS#12 (.pfx) file with {CertificatePasswordKey} ({e.Message}).", e);
        }
        if (!certificate.HasPrivateKey || certificate.GetRSAPrivateKey() is null)
        {
            throw new InvalidOperationException($"{CertificatePathKey}: {path} has no RSA private key; the keys could be encrypted but never read back.");
        }
        return certificate;
    }

    /// <summary>
    /// Reads the key ring and decrypts every key, then protects and reads back a value (which creates the first key, and proves
    /// the folder writable). Returns the reason the app must not start, or null. Logs a warning while the keys are unencrypted.
    /// </summary>
    public static async Task<string?> Check(WebApplication app)
    {
        var settings = app.Services.GetRequiredService<Settings>();
        if (settings.CertificateError is not null)
        {
            return settings.CertificateError;
        }
        var how = settings.CertificatePath is null
            ? $"They are not encrypted; if they were encrypted with a certificate, set {CertificatePathKey} and {CertificatePasswordKey} (docs/operations.md)."
            : $"They are decrypted with the certificate {settings.CertificatePath}; is it the one that encrypted them?";
        IReadOnlyCollection<IKey> keys;
        try
        {
            keys = app.Services.GetRequiredService<IKeyManager>().GetAllKeys();
            foreach (var key in keys)
            {
                // A key's XML is decrypted when first used: do it now.
                _ = key.Descriptor;
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or CryptographicException or System.Xml.XmlException
            or InvalidOperationException or FormatException)
        {
            return $"The data-protection key ring in {settings.KeysPath} cannot be read: {e.Message} {how}";
        }

        if (keys.Count == 0 && !settings.AllowNewKeyRing && await ProtectedSecretsExist(app))
        {
            return $"The data-protection key ring in {settings.KeysPath} is empty, but the database holds saved passwords or webhook secrets "
                + "protected with it. Restore the keys folder from the backup that goes with this database (several nodes must share "
                + $"one key ring). To start anyway with a new key ring and enter those secrets again, set {AllowNewKeyRingKey}=true.";
        }

        try
        {
            var protector = app.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector("Atende.KeyRing.Check");
            if (protector.Unprotect(protector.Protect("ok")) != "ok")
            {
                return $"The data-protection key ring in {settings.KeysPath} does not read back what it protects.";
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or CryptographicException or InvalidOperationException)
        {
            return $"The data-protection key ring in {settings.KeysPath} cannot be used: {e.Message} {how}";
        }

        if (settings.CertificatePath is null)
        {
            app.Logger.LogWarning("The data-protection keys in {KeysPath} are stored unencrypted (owner-only files): whoever reads them can read "
                + "the saved SMTP/IMAP passwords and forge sign-in cookies. Set {CertificatePathKey} to encrypt them (docs/operations.md).",
                settings.KeysPath, CertificatePathKey);
        }
        return null;
    }

    private static async Task<bool> ProtectedSecretsExist(WebApplication app)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AtendeDb>();
        return await db.SmtpSettings.AnyAsync(s => s.ProtectedPassword != null && s.ProtectedPassword != "")
            || await db.ImapSettings.AnyAsync(s => s.ProtectedPassword != null && s.ProtectedPassword != "")
            || await db.Set<Atende.Core.Webhooks.WebhookEndpoint>().AnyAsync(e => e.ProtectedSecret != "");
    }

    /// <summary>ASP.NET Core's file repository, with every key file made owner-only (0600) once written.</summary>
    private sealed class OwnerOnlyKeyRepository(DirectoryInfo directory, ILoggerFactory loggerFactory) : FileSystemXmlRepository(directory, loggerFactory)
    {
        public override void StoreElement(XElement element, string friendlyName)
        {
            base.StoreElement(element, friendlyName);
            foreach (var file in Directory.EnumerateFiles("*.xml"))
            {
                if (!OperatingSystem.IsWindows() && file.UnixFileMode != OwnerOnly.FileMode)
                {
                    OwnerOnly.Restrict(file.FullName);
                }
            }
        }
    }
}
