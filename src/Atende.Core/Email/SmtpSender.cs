using System.Net.Sockets;
using MailKit;
using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;

namespace Atende.Core.Email;

/// <summary>Why a send failed, in pt-BR for people; <see cref="Permanent"/> when retrying cannot help (the server answered 5xx to the message).</summary>
public sealed record SmtpFailure(string Message, bool Permanent);

/// <summary>Connects to the company's SMTP server with MailKit and explains failures in pt-BR.</summary>
public static class SmtpSender
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    public static async Task<SmtpClient> Connect(SmtpAccount account, CancellationToken ct)
    {
        var client = new SmtpClient { Timeout = (int)Timeout.TotalMilliseconds };
        try
        {
            await client.ConnectAsync(account.Host, account.Port, MailConnections.Options(account.Security), ct);
            if (!string.IsNullOrEmpty(account.UserName))
            {
                await client.AuthenticateAsync(account.UserName, account.Password ?? "", ct);
            }
            return client;
        }
        catch
        {
            client.Dispose();
            throw;
        }
    }

    /// <summary>Sends one message on a connected client; returns the server's answer to the message ("2.0.0 OK").</summary>
    public static Task<string> Send(SmtpClient client, MimeMessage message, CancellationToken ct) => client.SendAsync(message, ct);

    public static MailboxAddress Sender(SmtpAccount account) => new(account.FromName, account.FromAddress);

    /// <summary>
    /// A failure in words. Only the server's 5xx answer to a message (sender, recipient or content refused) is permanent;
    /// connection problems, 4xx answers and refused logins (a setting an admin will fix) are worth retrying.
    /// </summary>
    public static SmtpFailure Describe(Exception e, SmtpAccount account)
    {
        var where = $"{account.Host}:{account.Port}";
        return e switch
        {
            AuthenticationException a => new($"O servidor {where} recusou o usuário ou a senha: {a.Message}", false),
            SmtpCommandException { StatusCode: var code } c when (int)code >= 500 && c.ErrorCode != SmtpErrorCode.UnexpectedStatusCode =>
                new($"O servidor recusou o e-mail ({(int)code}): {c.Message}", true),
            SmtpCommandException c => new($"O servidor respondeu {(int)c.StatusCode}: {c.Message}", false),
            SocketException { SocketErrorCode: SocketError.ConnectionRefused } => new($"Conexão recusada por {where}. Confira o servidor e a porta.", false),
            SocketException { SocketErrorCode: SocketError.HostNotFound or SocketError.NoData or SocketError.TryAgain } => new($"Servidor {account.Host} não encontrado.", false),
            SocketException { SocketErrorCode: SocketError.TimedOut } => new($"O servidor {where} não respondeu a tempo.", false),
            SocketException s => new($"Não foi possível conectar a {where}: {s.Message}", false),
            TimeoutException or OperationCanceledException => new($"O servidor {where} não respondeu a tempo.", false),
            SslHandshakeException s => new($"Falha na conexão segura (TLS) com {where}: {s.Message}", false),
            NotSupportedException n when n.Message.Contains("STARTTLS", StringComparison.OrdinalIgnoreCase) => new($"O servidor {where} não oferece STARTTLS. Escolha outra segurança.", false),
            SmtpProtocolException p => new($"O servidor {where} respondeu fora do protocolo SMTP: {p.Message}", false),
            ServiceNotConnectedException or ServiceNotAuthenticatedException => new($"A conexão com {where} foi perdida: {e.Message}", false),
            IOException io => new($"A conexão com {where} caiu: {io.Message}", false),
            _ => new($"Erro ao enviar por {where}: {e.Message}", false),
        };
    }

    /// <summary>Failures <see cref="Describe"/> knows; anything else is a bug and is left to propagate.</summary>
    public static bool IsSmtpFailure(Exception e) => e is AuthenticationException or SmtpCommandException or SocketException or TimeoutException
        or SslHandshakeException or SmtpProtocolException or ServiceNotConnectedException or ServiceNotAuthenticatedException or IOException
        or NotSupportedException or OperationCanceledException;
}
