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
/// The data-protection key ring: it protects the sign-in cookies and the saved SMTP/IMAP passwords and webhook secrets. It lives
/// in the database (table <c>DataProtectionKeys</c>, <c>Atende:DataProtection:Store=Database</c>, the default on PostgreSQL, so
/// every node of one database shares it) or in a folder (<c>&lt;data&gt;/keys</c>, <c>FileSystem</c>, the default on SQLite).
/// With <c>Atende:DataProtection:CertificatePath</c> (a .pfx with its private key, and <c>CertificatePassword</c>) the keys are
/// encrypted with that certificate before they are stored, in either place; without it they are stored in the clear and the
/// start-up log says so every time. <see cref="Check"/> runs at start, so a ring that cannot be read or decrypted, a certificate
/// that cannot be opened, or a ring lost while the database still holds what it protected stops the app with a message instead
/// of failing at the first sign-in or e-mail.
/// </summary>
public static class KeyRing
{
    public const string StoreKey = "Atende:DataProtection:Store";
    public const string CertificatePathKey = "Atende:DataProtection:CertificatePath";
    public const string CertificatePasswordKey = "Atende:DataProtection:CertificatePassword";
    /// <summary>Start with a new, empty key ring although the database holds protected secrets (they are then lost: enter them again).</summary>
    public const string AllowNewKeyRingKey = "Atende:DataProtection:AllowNewKeyRing";

    /// <summary>Where the keys are kept.</summary>
    public enum Store { FileSystem, Database }

    /// <summary>What <see cref="Check"/> needs to know about the configuration. <c>Where</c> names the ring's place in messages.</summary>
    private sealed record Settings(Store Store, string KeysPath, string Where, string? CertificatePath, string? ConfigurationError, bool AllowNewKeyRing);

    /// <summary>The store configured, else Database on PostgreSQL (nodes share the database) and FileSystem on SQLite (one node).</summary>
    private static (Store Store, string? Error) ChooseStore(IConfiguration config)
    {
        var configured = config[StoreKey];
        if (string.IsNullOrWhiteSpace(configured))
        {
            var provider = config["Atende:Database:Provider"] ?? "Sqlite";
            var postgres = provider.Equals("Postgres", StringComparison.OrdinalIgnoreCase) || provider.Equals("PostgreSQL", StringComparison.OrdinalIgnoreCase);
            return (postgres ? Store.Database : Store.FileSystem, null);
        }
        return Enum.TryParse<Store>(configured.Trim(), ignoreCase: true, out var store) && Enum.IsDefined(store)
            ? (store, null)
            : (Store.FileSystem, $"{StoreKey}: '{configured}' is not a key store; use Database or FileSystem.");
    }

    public static void AddAtendeDataProtection(this IServiceCollection services, IConfiguration config, string dataPath)
    {
        var keysPath = Path.Combine(dataPath, "keys");
        var builder = services.AddDataProtection().SetApplicationName("Atende");
        var (store, configurationError) = ChooseStore(config);
        string where;
        if (store == Store.Database)
        {
            builder.PersistKeysToDbContext<AtendeDb>();
            where = "the database (table DataProtectionKeys)";
        }
        else
        {
            services.AddSingleton<IConfigureOptions<KeyManagementOptions>>(sp => new ConfigureOptions<KeyManagementOptions>(o =>
                o.XmlRepository = new OwnerOnlyKeyRepository(OwnerOnly.CreateDirectory(keysPath), sp.GetRequiredService<ILoggerFactory>())));
            where = keysPath;
        }

        var certificatePath = config[CertificatePathKey];
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
                configurationError ??= e.Message;
            }
        }
        services.AddSingleton(new Settings(store, keysPath, where, certificatePath, configurationError, config.GetValue(AllowNewKeyRingKey, false)));
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
        if (settings.ConfigurationError is not null)
        {
            return settings.ConfigurationError;
        }
        var how = settings.CertificatePath is null
            ? $"They are not encrypted; if they were encrypted with a certificate, set {CertificatePathKey} and {CertificatePasswordKey} (docs/operations.md)."
            : $"They are decrypted with the certificate {settings.CertificatePath}; is it the one that encrypted them?";
        IReadOnlyCollection<IKey> keys;
        try
        {
            if (settings.Store == Store.Database)
            {
                await CopyFileKeysIntoDatabase(app, settings);
            }
            keys = app.Services.GetRequiredService<IKeyManager>().GetAllKeys();
            foreach (var key in keys)
            {
                // A key's XML is decrypted when first used: do it now.
                _ = key.Descriptor;
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or CryptographicException or System.Xml.XmlException
            or InvalidOperationException or FormatException or System.Data.Common.DbException or DbUpdateException)
        {
            return $"The data-protection key ring in {settings.Where} cannot be read: {e.Message} {how}";
        }

        if (keys.Count == 0 && !settings.AllowNewKeyRing && await ProtectedSecretsExist(app))
        {
            var restore = settings.Store == Store.Database
                ? $"If the keys were kept in a folder until now ({StoreKey}=FileSystem), put that folder at {settings.KeysPath}: its keys are copied into the database at start."
                : "Restore the keys folder from the backup that goes with this database (several nodes must share one key ring).";
            return $"The data-protection key ring in {settings.Where} is empty, but the database holds saved passwords or webhook secrets "
                + $"protected with it. {restore} To start anyway with a new key ring and enter those secrets again, set {AllowNewKeyRingKey}=true.";
        }

        try
        {
            var protector = app.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector("Atende.KeyRing.Check");
            if (protector.Unprotect(protector.Protect("ok")) != "ok")
            {
                return $"The data-protection key ring in {settings.Where} does not read back what it protects.";
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or CryptographicException or InvalidOperationException
            or System.Data.Common.DbException or DbUpdateException)
        {
            return $"The data-protection key ring in {settings.Where} cannot be used: {e.Message} {how}";
        }

        if (settings.CertificatePath is null)
        {
            app.Logger.LogWarning("The data-protection keys in {KeysPath} are stored unencrypted ({How}): whoever reads them can read "
                + "the saved SMTP/IMAP passwords and forge sign-in cookies. Set {CertificatePathKey} to encrypt them (docs/operations.md).",
                settings.Where, settings.Store == Store.Database ? "in the database and its dumps" : "owner-only files", CertificatePathKey);
        }
        return null;
    }

    /// <summary>
    /// Moving to the database store (the default on PostgreSQL, where older versions kept the keys in a folder): while the table is
    /// empty, the key files of <c>&lt;data&gt;/keys</c> are copied into it, once, so the cookies and saved passwords stay readable.
    /// The files are left in place. Nodes starting at once copy them once: on PostgreSQL the table is locked while it is checked.
    /// </summary>
    private static async Task CopyFileKeysIntoDatabase(WebApplication app, Settings settings)
    {
        if (!Directory.Exists(settings.KeysPath))
        {
            return;
        }
        var files = Directory.GetFiles(settings.KeysPath, "*.xml").Order(StringComparer.Ordinal).ToList();
        if (files.Count == 0)
        {
            return;
        }
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AtendeDb>();
        await using var tx = await db.Database.BeginTransactionAsync();
        if (db.IsPostgres)
        {
            await db.Database.ExecuteSqlRawAsync("LOCK TABLE \"DataProtectionKeys\" IN EXCLUSIVE MODE");
        }
        if (await db.DataProtectionKeys.AnyAsync())
        {
            return;
        }
        foreach (var file in files)
        {
            // Parsed first: a damaged file stops the start (Check says which ring) instead of reaching the database.
            var element = XElement.Parse(await File.ReadAllTextAsync(file));
            db.DataProtectionKeys.Add(new Microsoft.AspNetCore.DataProtection.EntityFrameworkCore.DataProtectionKey
            {
                FriendlyName = Path.GetFileNameWithoutExtension(file),
                Xml = element.ToString(SaveOptions.DisableFormatting),
            });
        }
        await db.SaveChangesAsync();
        await tx.CommitAsync();
        app.Logger.LogInformation("Copied {Count} data-protection key(s) from {KeysPath} into the database ({StoreKey}=Database); the files are no longer read.",
            files.Count, settings.KeysPath, StoreKey);
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
