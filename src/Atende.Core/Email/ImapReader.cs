using System.Net.Sockets;
using MailKit;
using MailKit.Net.Imap;
using MailKit.Security;

namespace Atende.Core.Email;

/// <summary>The reply poller's settings, from <c>Atende:Inbox</c>.</summary>
public sealed class InboxOptions
{
    /// <summary>Seconds between looks at the mailbox (<c>PollSeconds</c>, default 60).</summary>
    public double PollSeconds { get; set; } = 60;
    /// <summary>Run the poller in this process (<c>Poller</c>, default true).</summary>
    public bool Poller { get; set; } = true;
    /// <summary>Messages read per round (<c>BatchSize</c>, default 50); the rest wait for the next round.</summary>
    public int BatchSize { get; set; } = 50;
    /// <summary>A larger message is quarantined without being downloaded (<c>MaxMessageBytes</c>, default 40 MB).</summary>
    public long MaxMessageBytes { get; set; } = 40L * 1024 * 1024;
}

/// <summary>Connects to the company mailbox with MailKit and explains failures in pt-BR.</summary>
public static class ImapReader
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    /// <summary>Connects, logs in and opens the folder for reading and flagging.</summary>
    public static async Task<(ImapClient Client, IMailFolder Folder)> Open(ImapAccount account, CancellationToken ct)
    {
        var client = new ImapClient { Timeout = (int)Timeout.TotalMilliseconds };
        try
        {
            await client.ConnectAsync(account.Host, account.Port, MailConnections.Options(account.Security), ct);
            await client.AuthenticateAsync(account.UserName, account.Password ?? "", ct);
            var folder = string.Equals(account.Folder, "INBOX", StringComparison.OrdinalIgnoreCase)
                ? client.Inbox
                : await client.GetFolderAsync(account.Folder, ct);
            await folder.OpenAsync(FolderAccess.ReadWrite, ct);
            return (client, folder);
        }
        catch
        {
            client.Dispose();
            throw;
        }
    }

    /// <summary>A failure in words, for the settings page and the last round's result.</summary>
    public static string Describe(Exception e, ImapAccount account)
    {
        var where = $"{account.Host}:{account.Port}";
        return e switch
        {
            AuthenticationException a => $"O servidor {where} recusou o usuário ou a senha: {a.Message}",
            FolderNotFoundException => $"A pasta \"{account.Folder}\" não existe na caixa {account.UserName}.",
            ImapCommandException c => $"O servidor {where} respondeu {c.Response}: {c.ResponseText}",
            SocketException { SocketErrorCode: SocketError.ConnectionRefused } => $"Conexão recusada por {where}. Confira o servidor e a porta.",
            SocketException { SocketErrorCode: SocketError.HostNotFound or SocketError.NoData or SocketError.TryAgain } => $"Servidor {account.Host} não encontrado.",
            SocketException { SocketErrorCode: SocketError.TimedOut } => $"O servidor {where} não respondeu a tempo.",
            SocketException s => $"Não foi possível conectar a {where}: {s.Message}",
            TimeoutException or OperationCanceledException => $"O servidor {where} não respondeu a tempo.",
            SslHandshakeException s => $"Falha na conexão segura (TLS) com {where}: {s.Message}",
            NotSupportedException n when n.Message.Contains("STARTTLS", StringComparison.OrdinalIgnoreCase) => $"O servidor {where} não oferece STARTTLS. Escolha outra segurança.",
            ImapProtocolException p => $"O servidor {where} respondeu fora do protocolo IMAP: {p.Message}",
            ServiceNotConnectedException or ServiceNotAuthenticatedException => $"A conexão com {where} foi perdida: {e.Message}",
            IOException io => $"A conexão com {where} caiu: {io.Message}",
            _ => $"Erro ao ler a caixa {account.UserName} em {where}: {e.Message}",
        };
    }

    /// <summary>Failures of the connection or the server, which <see cref="Describe"/> knows; anything else is a bug.</summary>
    public static bool IsImapFailure(Exception e) => e is AuthenticationException or FolderNotFoundException or ImapCommandException or SocketException
        or TimeoutException or SslHandshakeException or ImapProtocolException or ServiceNotConnectedException or ServiceNotAuthenticatedException
        or IOException or NotSupportedException or OperationCanceledException;
}
