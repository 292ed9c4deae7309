using Atende.Core.Common;
using Atende.Core.Data;
using Atende.Core.Identity;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using MimeKit;

namespace Atende.Core.Email;

/// <summary>The outcome of a test e-mail, in pt-BR: the server's answer or why it failed.</summary>
public sealed record TestEmailResult(bool Sent, string Message);

/// <summary>The company's SMTP settings (admins only) and the test e-mail.</summary>
public sealed class EmailSettingsService(AtendeDb db, Caller caller, IDataProtectionProvider protection, OutboxSignal signal)
{
    public const string PasswordPurpose = "Atende.Smtp.Password";
    public const string NotConfigured = "Envio de e-mails (SMTP) não configurado.";

    public async Task<SmtpView> Get(CancellationToken ct = default)
    {
        caller.RequireAdmin();
        var s = await db.SmtpSettings.AsNoTracking().FirstOrDefaultAsync(ct);
        return s is null
            ? new SmtpView("", 587, SmtpSecurity.Auto, null, false, "", "", false)
            : new SmtpView(s.Host, s.Port, s.Security, s.UserName, s.ProtectedPassword is not null, s.FromName, s.FromAddress, true);
    }

    public async Task<SmtpView> Update(SmtpInput input, CancellationToken ct = default)
    {
        caller.RequireAdmin();
        var v = new Validation();
        var host = v.Text("host", "Servidor SMTP", input.Host, 253);
        if (host.Length > 0 && (host.Any(char.IsWhiteSpace) || Uri.CheckHostName(host) == UriHostNameType.Unknown))
        {
            v.Add("host", $"Servidor SMTP inválido: {host}. Informe só o nome ou o IP, por exemplo smtp.suaempresa.com.br.");
        }
        if (input.Port is null)
        {
            v.Add("port", "Porta é obrigatória (em geral 587, 465 ou 25).");
        }
        else if (input.Port is < 1 or > 65535)
        {
            v.Add("port", "Porta deve estar entre 1 e 65535.");
        }
        if (!Enum.IsDefined(input.Security))
        {
            v.Add("security", "Segurança deve ser None, StartTls, SslOnConnect ou Auto.");
        }
        var user = v.Text("userName", "Usuário", input.UserName, 254, required: false);
        var password = input.Password ?? "";
        if (password.Length > 500)
        {
            v.Add("password", "Senha pode ter no máximo 500 caracteres.");
        }
        var fromName = v.Text("fromName", "Nome do remetente", input.FromName, 200);
        var fromAddress = v.Text("fromAddress", "E-mail do remetente", input.FromAddress, 254);
        if (fromAddress.Length > 0 && !Partners.PartnerService.IsValidEmail(fromAddress))
        {
            v.Add("fromAddress", $"E-mail do remetente inválido: {fromAddress}.");
        }
        v.ThrowIfAny();

        var settings = await db.SmtpSettings.FirstOrDefaultAsync(ct) ?? db.SmtpSettings.Add(new SmtpSettings()).Entity;
        settings.Host = host;
        settings.Port = input.Port!.Value;
        settings.Security = input.Security;
        settings.UserName = user.Length == 0 ? null : user;
        if (input.ClearPassword)
        {
            settings.ProtectedPassword = null;
        }
        else if (password.Length > 0)
        {
            settings.ProtectedPassword = protection.CreateProtector(PasswordPurpose).Protect(password);
        }
        settings.FromName = fromName;
        settings.FromAddress = fromAddress;
        settings.UpdatedAt = Clock.Now();
        await db.SaveChangesAsync(ct);
        // Rows that waited for a configuration may go now.
        signal.Wake();
        return await Get(ct);
    }

    /// <summary>Sends a test e-mail now, with the saved settings, and says what the server answered.</summary>
    public async Task<TestEmailResult> SendTest(string? to, CancellationToken ct = default)
    {
        caller.RequireAdmin();
        var address = Data.SearchText.Clean(to);
        if (address.Length == 0)
        {
            throw new ValidationException("to", "Informe o e-mail que deve receber o teste.");
        }
        if (!Partners.PartnerService.IsValidEmail(address))
        {
            throw new ValidationException("to", $"E-mail inválido: {address}.");
        }
        var account = await LoadAccount(db, protection, ct);
        if (account is null)
        {
            return new TestEmailResult(false, NotConfigured + " Salve as configurações de SMTP antes de testar.");
        }
        var message = new MimeMessage();
        message.From.Add(SmtpSender.Sender(account));
        message.To.Add(MailboxAddress.Parse(address));
        message.Subject = "Teste de e-mail do Atende";
        message.Body = new TextPart("plain")
        {
            Text = $"Este é um e-mail de teste enviado pelo Atende ({account.Host}:{account.Port}).\nSe você o recebeu, o envio de e-mails da empresa está funcionando.",
        };
        try
        {
            using var client = await SmtpSender.Connect(account, ct);
            var answer = await SmtpSender.Send(client, message, ct);
            await client.DisconnectAsync(true, ct);
            return new TestEmailResult(true, $"E-mail de teste enviado para {address}. Resposta do servidor: {answer}");
        }
        catch (Exception e) when (SmtpSender.IsSmtpFailure(e) && !ct.IsCancellationRequested)
        {
            return new TestEmailResult(false, "Não foi possível enviar o e-mail de teste: " + SmtpSender.Describe(e, account).Message);
        }
    }

    /// <summary>The saved settings with the password in clear, or null while e-mail is not configured. For the dispatcher: no caller.</summary>
    public static async Task<SmtpAccount?> LoadAccount(AtendeDb db, IDataProtectionProvider protection, CancellationToken ct)
    {
        var s = await db.SmtpSettings.AsNoTracking().FirstOrDefaultAsync(ct);
        if (s is null || s.Host.Length == 0 || s.FromAddress.Length == 0)
        {
            return null;
        }
        var password = MailConnections.Password(protection, PasswordPurpose, s.ProtectedPassword);
        return new SmtpAccount(s.Host, s.Port, s.Security, s.UserName, password, s.FromName, s.FromAddress);
    }
}
