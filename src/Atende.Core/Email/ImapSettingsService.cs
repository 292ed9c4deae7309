using Atende.Core.Common;
using Atende.Core.Data;
using Atende.Core.Identity;
using MailKit;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;

namespace Atende.Core.Email;

/// <summary>The outcome of "Testar conexão", in pt-BR.</summary>
public sealed record ImapTestResult(bool Connected, string Message);

/// <summary>The company mailbox that receives replies (admins only): its settings and the connection test.</summary>
public sealed class ImapSettingsService(AtendeDb db, Caller caller, IDataProtectionProvider protection, InboxSignal signal)
{
    public const string PasswordPurpose = "Atende.Imap.Password";

    public async Task<ImapView> Get(CancellationToken ct = default)
    {
        caller.RequireAdmin();
        var s = await db.ImapSettings.AsNoTracking().FirstOrDefaultAsync(ct) ?? new ImapSettings();
        return new ImapView(s.Enabled, s.Host, s.Port, s.Security, s.UserName, s.ProtectedPassword is not null, s.Folder, s.Unmatched,
            s.UnmatchedPipelineId, s.UnmatchedCreatorId, s.LastPollAt, s.LastPollResult, s.LastPollFailed);
    }

    public async Task<ImapView> Update(ImapInput input, CancellationToken ct = default)
    {
        caller.RequireAdmin();
        var v = new Validation();
        var host = v.Text("host", "Servidor IMAP", input.Host, 253, required: input.Enabled);
        if (host.Length > 0 && (host.Any(char.IsWhiteSpace) || Uri.CheckHostName(host) == UriHostNameType.Unknown))
        {
            v.Add("host", $"Servidor IMAP inválido: {host}. Informe só o nome ou o IP, por exemplo imap.suaempresa.com.br.");
        }
        if (input.Port is null)
        {
            v.Add("port", "Porta é obrigatória (em geral 993 ou 143).");
        }
        else if (input.Port is < 1 or > 65535)
        {
            v.Add("port", "Porta deve estar entre 1 e 65535.");
        }
        if (!Enum.IsDefined(input.Security))
        {
            v.Add("security", "Segurança deve ser None, StartTls, SslOnConnect ou Auto.");
        }
        var user = v.Text("userName", "Usuário", input.UserName, 254, required: input.Enabled);
        var password = input.Password ?? "";
        if (password.Length > 500)
        {
            v.Add("password", "Senha pode ter no máximo 500 caracteres.");
        }
        var folder = v.Text("folder", "Pasta", string.IsNullOrWhiteSpace(input.Folder) ? "INBOX" : input.Folder, 200);
        if (!Enum.IsDefined(input.Unmatched))
        {
            v.Add("unmatched", "E-mails sem atendimento deve ser LeaveUnread ou CreateTicket.");
        }
        long? pipelineId = null, creatorId = null;
        if (input.Unmatched == UnmatchedMail.CreateTicket)
        {
            (pipelineId, creatorId) = await CheckTicketCreation(v, input.UnmatchedPipelineId, input.UnmatchedCreatorId, ct);
        }
        v.ThrowIfAny();

        var settings = await db.ImapSettings.FirstOrDefaultAsync(ct) ?? db.ImapSettings.Add(new ImapSettings()).Entity;
        if (input.Enabled && settings.ProtectedPassword is null && password.Length == 0)
        {
            throw new ValidationException("password", "Informe a senha da caixa de e-mail.");
        }
        settings.Enabled = input.Enabled;
        settings.Host = host;
        settings.Port = input.Port!.Value;
        settings.Security = input.Security;
        settings.UserName = user;
        if (password.Length > 0)
        {
            settings.ProtectedPassword = protection.CreateProtector(PasswordPurpose).Protect(password);
        }
        settings.Folder = folder;
        settings.Unmatched = input.Unmatched;
        settings.UnmatchedPipelineId = pipelineId;
        settings.UnmatchedCreatorId = creatorId;
        settings.UpdatedAt = Clock.Now();
        await db.SaveChangesAsync(ct);
        signal.Wake();
        return await Get(ct);
    }

    /// <summary>Tickets for unknown mail need an active pipeline and an active staff user allowed on it.</summary>
    private async Task<(long? PipelineId, long? CreatorId)> CheckTicketCreation(Validation v, long? pipelineId, long? creatorId, CancellationToken ct)
    {
        var pipeline = pipelineId is { } p ? await db.Pipelines.AsNoTracking().Where(x => x.Id == p).Select(x => new { x.Id, x.Name, x.Active }).FirstOrDefaultAsync(ct) : null;
        if (pipeline is null)
        {
            v.Add("unmatchedPipelineId", "Escolha o fluxo em que os atendimentos serão abertos.");
        }
        else if (!pipeline.Active)
        {
            v.Add("unmatchedPipelineId", $"O fluxo \"{pipeline.Name}\" está inativo.");
        }
        var creator = creatorId is { } u
            ? await db.Users.AsNoTracking().Where(x => x.Id == u).Select(x => new { x.Id, x.Name, x.Role, x.Active, Pipelines = x.Pipelines.Select(g => g.PipelineId).ToList() }).FirstOrDefaultAsync(ct)
            : null;
        if (creator is null || creator.Role == UserRole.Portal)
        {
            v.Add("unmatchedCreatorId", "Escolha o usuário em nome de quem os atendimentos serão abertos.");
        }
        else if (!creator.Active)
        {
            v.Add("unmatchedCreatorId", $"{creator.Name} está inativo.");
        }
        else if (pipeline is not null && creator.Role != UserRole.Admin && !creator.Pipelines.Contains(pipeline.Id))
        {
            v.Add("unmatchedCreatorId", $"{creator.Name} não tem acesso ao fluxo \"{pipeline.Name}\".");
        }
        return (pipeline?.Id, creator?.Id);
    }

    /// <summary>Connects with the saved settings and says what the mailbox holds, or why it could not.</summary>
    public async Task<ImapTestResult> Test(CancellationToken ct = default)
    {
        caller.RequireAdmin();
        var account = await LoadAccount(db, protection, ct);
        if (account is null)
        {
            return new ImapTestResult(false, "Caixa de e-mail não configurada. Salve o servidor, o usuário e a senha antes de testar.");
        }
        try
        {
            var (client, folder) = await ImapReader.Open(account, ct);
            using (client)
            {
                await folder.StatusAsync(StatusItems.Count | StatusItems.Unread, ct);
                var message = $"Conectado a {account.Host}: a pasta {folder.FullName} tem {folder.Count} mensagem(ns), {folder.Unread} não lida(s).";
                await client.DisconnectAsync(true, ct);
                return new ImapTestResult(true, message);
            }
        }
        catch (Exception e) when (ImapReader.IsImapFailure(e) && !ct.IsCancellationRequested)
        {
            return new ImapTestResult(false, "Não foi possível conectar: " + ImapReader.Describe(e, account));
        }
    }

    /// <summary>The saved mailbox with the password in clear, or null while it is not set up. Enabled or not: the caller decides.</summary>
    public static async Task<ImapAccount?> LoadAccount(AtendeDb db, IDataProtectionProvider protection, CancellationToken ct)
    {
        var s = await db.ImapSettings.AsNoTracking().FirstOrDefaultAsync(ct);
        if (s is null || s.Host.Length == 0 || s.UserName.Length == 0)
        {
            return null;
        }
        var password = MailConnections.Password(protection, PasswordPurpose, s.ProtectedPassword);
        return new ImapAccount(s.Host, s.Port, s.Security, s.UserName, password, s.Folder);
    }
}
