using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Atende.Web.Tests.Email;
using Atende.Web.Tests.Infrastructure;
using Npgsql;

namespace Atende.Web.Tests.Operations;

/// <summary>
/// The data-protection key ring is checked when the app starts (as its own process): unencrypted keys are reported in the log,
/// a ring that cannot be read or decrypted, a certificate that cannot be opened, or a ring lost while the database holds secrets
/// it protected stop the start with the reason and a non-zero exit, before the app listens.
/// </summary>
public sealed partial class KeyRingTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(120);

    private static async Task<AppProcess.Exited> FailedStart(Dictionary<string, string> settings)
    {
        var run = await AppProcess.Run([], settings, StartTimeout);
        Assert.True(run.Code != 0, $"the app should not have started:\n{run.Output}");
        Assert.DoesNotContain("Now listening", run.Output, StringComparison.Ordinal);
        return run;
    }

    [Fact]
    public async Task Unreadable_or_lost_key_ring_stops_the_start_with_the_reason()
    {
        await using var store = await AppStore.Create("Sqlite");
        var keys = Path.Combine(store.Settings["Atende:DataPath"], "keys");
        await using (var app = await AppProcess.Start(store.Settings, StartTimeout))
        {
            Assert.Contains("No XML encryptor configured", app.Tail(200), StringComparison.Ordinal);
            Assert.Matches(UnencryptedWarning(), app.Tail(200));
            // A saved SMTP password: protected with the ring.
            using var api = app.Api();
            var setup = await api.PostAsJsonAsync("/api/v1/setup", new { companyName = "Chaves Ltda", adminName = "Admin", adminEmail = TestApp.AdminEmail, adminPassword = TestApp.Password }, Ct);
            Assert.Equal(HttpStatusCode.Created, setup.StatusCode);
            using var admin = app.Api((await setup.Content.ReadFromJsonAsync<JsonObject>(Ct))!["token"]!.GetValue<string>());
            var smtp = await admin.PutAsJsonAsync("/api/v1/settings/smtp", new
            {
                host = "127.0.0.1", port = 1, security = "None", userName = "envio", password = "senha-do-smtp", fromName = "Chaves", fromAddress = "envio@chaves.test",
            }, Ct);
            Assert.Equal(HttpStatusCode.OK, smtp.StatusCode);
        }
        var keyFile = Assert.Single(Directory.GetFiles(keys, "*.xml"));
        var keyXml = await File.ReadAllTextAsync(keyFile, Ct);

        await File.WriteAllTextAsync(keyFile, "<key id=", Ct);
        var unreadable = await FailedStart(store.Settings);
        Assert.Contains($"Atende cannot start: The data-protection key ring in {keys} cannot be read", unreadable.Output, StringComparison.Ordinal);

        File.Delete(keyFile);
        var lost = await FailedStart(store.Settings);
        Assert.Contains($"The data-protection key ring in {keys} is empty, but the database holds saved passwords", lost.Output, StringComparison.Ordinal);

        // Knowingly starting over: a new ring (the saved password is then lost).
        await using (var fresh = await AppProcess.Start(new Dictionary<string, string>(store.Settings) { ["Atende:DataProtection:AllowNewKeyRing"] = "true" }, StartTimeout))
        {
            Assert.Equal(HttpStatusCode.OK, (await fresh.Api().GetAsync("/healthz", Ct)).StatusCode);
        }
        Assert.Single(Directory.GetFiles(keys, "*.xml"));
        foreach (var created in Directory.GetFiles(keys, "*.xml"))
        {
            File.Delete(created);
        }

        // Put back, the ring serves again.
        await File.WriteAllTextAsync(keyFile, keyXml, Ct);
        await using var again = await AppProcess.Start(store.Settings, StartTimeout);
        Assert.Equal(HttpStatusCode.OK, (await again.Api().GetAsync("/healthz", Ct)).StatusCode);
    }

    [Fact]
    public async Task A_certificate_encrypts_the_keys_and_the_app_does_not_start_without_it()
    {
        await using var store = await AppStore.Create("Sqlite");
        var data = store.Settings["Atende:DataPath"];
        var certificate = Path.Combine(data, "..", $"chaves-{Guid.NewGuid():N}.pfx");
        using (var rsa = RSA.Create(2048))
        {
            var request = new CertificateRequest("CN=Atende data protection (test)", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
            using var created = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
            await File.WriteAllBytesAsync(certificate, created.Export(X509ContentType.Pfx, "senha-do-certificado"), Ct);
        }
        try
        {
            var withCertificate = new Dictionary<string, string>(store.Settings)
            {
                ["Atende:DataProtection:CertificatePath"] = certificate,
                ["Atende:DataProtection:CertificatePassword"] = "senha-do-certificado",
            };
            await using (var app = await AppProcess.Start(withCertificate, StartTimeout))
            {
                Assert.Equal(HttpStatusCode.OK, (await app.Api().GetAsync("/healthz", Ct)).StatusCode);
                Assert.DoesNotMatch(UnencryptedWarning(), app.Tail(200));
                Assert.DoesNotContain("No XML encryptor configured", app.Tail(200), StringComparison.Ordinal);
            }
            var keyXml = await File.ReadAllTextAsync(Assert.Single(Directory.GetFiles(Path.Combine(data, "keys"), "*.xml")), Ct);
            Assert.Contains("EncryptedXmlDecryptor", keyXml, StringComparison.Ordinal);
            Assert.DoesNotContain("<value>", keyXml, StringComparison.Ordinal);

            var without = await FailedStart(store.Settings);
            Assert.Contains("cannot be read", without.Output, StringComparison.Ordinal);
            Assert.Contains("set Atende:DataProtection:CertificatePath", without.Output, StringComparison.Ordinal);

            var wrongPassword = await FailedStart(new(withCertificate) { ["Atende:DataProtection:CertificatePassword"] = "outra-senha" });
            Assert.Contains($"Atende cannot start: Atende:DataProtection:CertificatePath: {Path.GetFullPath(certificate)} cannot be opened", wrongPassword.Output, StringComparison.Ordinal);

            var missing = await FailedStart(new(withCertificate) { ["Atende:DataProtection:CertificatePath"] = certificate + ".sumiu" });
            Assert.Contains("Atende cannot start: Atende:DataProtection:CertificatePath: no file at", missing.Output, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(certificate);
        }
    }

    /// <summary>
    /// PostgreSQL keeps the ring in the database by default (<c>Atende:DataProtection:Store=Database</c>), so nodes share it. An
    /// installation that kept its keys in the folder gets them copied in at its first start with the new store (a saved SMTP
    /// password still signs in); a damaged key row or a ring lost while secrets remain stops the start with the reason.
    /// </summary>
    [Fact]
    public async Task On_PostgreSQL_the_ring_moves_from_the_folder_into_the_database_and_is_checked_there()
    {
        await using var store = await AppStore.Create("Postgres");
        await using var smtp = new FakeSmtpServer((_, _) => null, auth: true);
        var keys = Path.Combine(store.Settings["Atende:DataPath"], "keys");
        string token;
        await using (var before = await AppProcess.Start(new Dictionary<string, string>(store.Settings) { ["Atende:DataProtection:Store"] = "FileSystem" }, StartTimeout))
        {
            using var api = before.Api();
            var setup = await api.PostAsJsonAsync("/api/v1/setup", new { companyName = "Chaves Ltda", adminName = "Admin", adminEmail = TestApp.AdminEmail, adminPassword = TestApp.Password }, Ct);
            Assert.Equal(HttpStatusCode.Created, setup.StatusCode);
            token = (await setup.Content.ReadFromJsonAsync<JsonObject>(Ct))!["token"]!.GetValue<string>();
            using var admin = before.Api(token);
            var saved = await admin.PutAsJsonAsync("/api/v1/settings/smtp", new
            {
                host = "127.0.0.1", port = smtp.Port, security = "None", userName = "envio", password = "senha-do-smtp", fromName = "Chaves", fromAddress = "envio@chaves.test",
            }, Ct);
            Assert.Equal(HttpStatusCode.OK, saved.StatusCode);
        }
        Assert.Single(Directory.GetFiles(keys, "*.xml"));
        Assert.Equal(0, await KeyRows(store));

        await using (var after = await AppProcess.Start(store.Settings, StartTimeout))
        {
            Assert.Contains("Copied 1 data-protection key(s) from", after.Tail(200), StringComparison.Ordinal);
            using var admin = after.Api(token);
            var test = await admin.PostAsJsonAsync("/api/v1/settings/smtp/test", new { to = "teste@chaves.test" }, Ct);
            Assert.Equal(HttpStatusCode.OK, test.StatusCode);
            Assert.Equal(("envio", "senha-do-smtp"), Assert.Single(smtp.Logins));
        }
        Assert.Equal(1, await KeyRows(store));
        // The folder is read only while the table is empty: removing it now changes nothing.
        Directory.Delete(keys, recursive: true);
        await using (var again = await AppProcess.Start(store.Settings, StartTimeout))
        {
            Assert.Equal(HttpStatusCode.OK, (await again.Api().GetAsync("/healthz", Ct)).StatusCode);
        }

        await KeySql(store, """UPDATE "DataProtectionKeys" SET "Xml" = '<key id=' """);
        var damaged = await FailedStart(store.Settings);
        Assert.Contains("Atende cannot start: The data-protection key ring in the database (table DataProtectionKeys) cannot be read", damaged.Output, StringComparison.Ordinal);

        await KeySql(store, """DELETE FROM "DataProtectionKeys" """);
        var lost = await FailedStart(store.Settings);
        Assert.Contains("The data-protection key ring in the database (table DataProtectionKeys) is empty, but the database holds saved passwords", lost.Output, StringComparison.Ordinal);

        var wrong = await FailedStart(new Dictionary<string, string>(store.Settings) { ["Atende:DataProtection:Store"] = "Redis" });
        Assert.Contains("Atende cannot start: Atende:DataProtection:Store: 'Redis' is not a key store; use Database or FileSystem.", wrong.Output, StringComparison.Ordinal);
    }

    private static async Task<long> KeyRows(AppStore store)
    {
        await using var connection = new NpgsqlConnection(store.ConnectionString);
        await connection.OpenAsync(Ct);
        await using var command = new NpgsqlCommand("""SELECT count(*) FROM "DataProtectionKeys" """, connection);
        return (long)(await command.ExecuteScalarAsync(Ct))!;
    }

    private static async Task KeySql(AppStore store, string sql)
    {
        await using var connection = new NpgsqlConnection(store.ConnectionString);
        await connection.OpenAsync(Ct);
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(Ct);
    }

    [GeneratedRegex(@"data-protection keys in \S+ are stored unencrypted")]
    private static partial Regex UnencryptedWarning();
}
