using Atende.Web.Tests.Infrastructure;
using MailKit;
using MailKit.Net.Imap;
using MailKit.Security;
using MimeKit;

namespace Atende.Web.Tests.Email;

/// <summary>
/// The real IMAP server of the tests (Dovecot on loopback): ATENDE_TEST_IMAP=host:port, with ATENDE_TEST_IMAP_USER and
/// ATENDE_TEST_IMAP_PASSWORD (default inbox@test / secret). Each test works in a folder of its own, so tests running at the
/// same time never read each other's mail. Tests skip without it, unless ATENDE_REQUIRE_SERVICES=1.
/// </summary>
public static class TestImapServer
{
    public sealed record Account(string Host, int Port, string User, string Password);

    public static Account Require()
    {
        var imap = Environment.GetEnvironmentVariable("ATENDE_TEST_IMAP");
        if (string.IsNullOrWhiteSpace(imap))
        {
            if (TestApp.ServicesRequired)
            {
                Assert.Fail("ATENDE_REQUIRE_SERVICES=1 but ATENDE_TEST_IMAP is not set.");
            }
            Assert.Skip("IMAP not configured: set ATENDE_TEST_IMAP=host:port (and ATENDE_TEST_IMAP_USER / ATENDE_TEST_IMAP_PASSWORD) to run these tests.");
        }
        var colon = imap.LastIndexOf(':');
        return new Account(imap[..colon], int.Parse(imap[(colon + 1)..], System.Globalization.CultureInfo.InvariantCulture),
            Environment.GetEnvironmentVariable("ATENDE_TEST_IMAP_USER") ?? "inbox@test",
            Environment.GetEnvironmentVariable("ATENDE_TEST_IMAP_PASSWORD") ?? "secret");
    }

    private static async Task<ImapClient> Connect(CancellationToken ct)
    {
        var account = Require();
        var client = new ImapClient();
        await client.ConnectAsync(account.Host, account.Port, SecureSocketOptions.None, ct);
        await client.AuthenticateAsync(account.User, account.Password, ct);
        return client;
    }

    /// <summary>Creates an empty folder for one test and returns its full name.</summary>
    public static async Task<string> NewFolder(CancellationToken ct)
    {
        using var client = await Connect(ct);
        var root = client.GetFolder(client.PersonalNamespaces[0]);
        var folder = await root.CreateAsync("t" + Guid.NewGuid().ToString("N")[..12], true, ct)
            ?? throw new InvalidOperationException("The IMAP server did not create the test folder.");
        await client.DisconnectAsync(true, ct);
        return folder.FullName;
    }

    /// <summary>Puts messages in the folder (unread), as a mail server delivering them would.</summary>
    public static async Task Append(string folderName, CancellationToken ct, params MimeMessage[] messages)
    {
        using var client = await Connect(ct);
        var folder = await client.GetFolderAsync(folderName, ct);
        foreach (var message in messages)
        {
            await folder.AppendAsync(new AppendRequest(message, MessageFlags.None), ct);
        }
        await client.DisconnectAsync(true, ct);
    }

    /// <summary>Subject → read or not, for every message of the folder.</summary>
    public static async Task<List<(string Subject, bool Seen)>> Messages(string folderName, CancellationToken ct)
    {
        using var client = await Connect(ct);
        var folder = await client.GetFolderAsync(folderName, ct);
        await folder.OpenAsync(FolderAccess.ReadOnly, ct);
        var list = folder.Count == 0
            ? []
            : (await folder.FetchAsync(0, -1, new FetchRequest(MessageSummaryItems.Envelope | MessageSummaryItems.Flags), ct))
                .Select(s => (s.Envelope?.Subject ?? "", s.Flags!.Value.HasFlag(MessageFlags.Seen))).ToList();
        await client.DisconnectAsync(true, ct);
        return list;
    }

    /// <summary>Marks every message unread again: the mailbox is replayed as if never read.</summary>
    public static async Task MarkAllUnread(string folderName, CancellationToken ct)
    {
        using var client = await Connect(ct);
        var folder = await client.GetFolderAsync(folderName, ct);
        await folder.OpenAsync(FolderAccess.ReadWrite, ct);
        if (folder.Count > 0)
        {
            await folder.RemoveFlagsAsync(await folder.SearchAsync(MailKit.Search.SearchQuery.All, ct), MessageFlags.Seen, true, ct);
        }
        await client.DisconnectAsync(true, ct);
    }
}
