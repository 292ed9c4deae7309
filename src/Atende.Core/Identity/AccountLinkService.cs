using System.Net;
using System.Security.Cryptography;
using Atende.Core.Common;
using Atende.Core.Data;
using Atende.Core.Email;
using Atende.Core.Tickets;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace Atende.Core.Identity;

/// <summary>An account link was e-mailed: to whom, and until when it can be used.</summary>
public sealed record AccountLinkSent(long UserId, DateTimeOffset ExpiresAt);

/// <summary>
/// What a token opens: the link's purpose and user, or why it cannot be used (<see cref="Problem"/>, a pt-BR sentence).
/// </summary>
public sealed record AccountLinkState(AccountLinkPurpose Purpose, long UserId, string UserName, string Email, string? Problem)
{
    public bool Valid => Problem is null;
}

/// <summary>Where a contact stands with the customer portal ("Sem acesso", "Convite enviado em …", "Acesso ativo").</summary>
public enum PortalAccess { None, Invited, Active, Inactive }

/// <summary>A contact's portal access: their Portal user (if any), and when the last invitation went out.</summary>
public sealed record ContactPortalAccess(long ContactId, PortalAccess State, long? UserId, DateTimeOffset? InvitedAt, bool SeesCompanyRequests);

/// <summary>
/// "Getting in": invitations to the customer portal and password resets, both as single-use e-mailed links
/// (<see cref="AccountLink"/>, only the token's SHA-256 is stored) whose holder chooses a password on <c>/conta/senha/{token}</c>.
/// Staff methods take the <see cref="Caller"/>; the anonymous ones (forgot password, check, redeem) do not need one.
/// </summary>
public sealed class AccountLinkService(AtendeDb db, UserManager<User> users, PublicLinks links)
{
    public static readonly TimeSpan InviteLifetime = TimeSpan.FromHours(48);
    public static readonly TimeSpan ResetLifetime = TimeSpan.FromHours(1);

    public const string SmtpMissing = "Não é possível enviar o convite: o envio de e-mails (SMTP) não está configurado. Peça a um administrador para configurá-lo em Configurações → E-mail.";
    public const string LinkMissing = "Não é possível enviar o convite: o endereço público do Atende não está configurado (Configurações → Empresa).";
    public const string UnknownLink = "Este link não é válido. Confira se copiou o endereço inteiro ou peça um novo link.";
    public const string UsedLink = "Este link já foi usado. Para trocar a senha, use \"Esqueci minha senha\" na página de entrada.";
    public const string ExpiredInvite = "Este convite expirou. Peça um novo convite a quem convidou você.";
    public const string ExpiredReset = "Este link expirou. Peça um novo em \"Esqueci minha senha\".";
    public const string InactiveUser = "Esta conta está desativada. Fale com a empresa para reativá-la.";

    /// <summary>
    /// Invites contact <paramref name="contactId"/> of partner <paramref name="partnerId"/> (which the caller must see) to the portal:
    /// creates their Portal user (the contact's name and first e-mail, no password) or reuses the one they already have, ends
    /// any older unused invitation, and e-mails a new link valid for 48 hours. Nothing is written when it cannot be sent.
    /// </summary>
    public async Task<AccountLinkSent> InviteContact(Caller caller, long partnerId, long contactId, bool seesCompanyRequests, CancellationToken ct = default)
    {
        caller.RequireStaff();
        var partner = await Visibility.Partners(db, caller).Where(p => p.Id == partnerId).Select(p => new { p.Id, p.Name }).FirstOrDefaultAsync(ct)
            ?? throw new NotFoundException("Entidade não encontrada.");
        var contact = await db.Contacts.AsNoTracking().Include(c => c.Emails).FirstOrDefaultAsync(c => c.Id == contactId && c.PartnerId == partner.Id, ct)
            ?? throw new NotFoundException("Contato não encontrado.");
        var email = contact.Emails.OrderBy(e => e.Position).FirstOrDefault()?.Address;
        if (string.IsNullOrWhiteSpace(email))
        {
            throw new ValidationException("email", $"{contact.Name} não tem e-mail cadastrado: inclua um e-mail no contato antes de convidá-lo para o portal.");
        }
        var user = await users.FindByEmailAsync(email);
        if (user is not null && user.Role != UserRole.Portal)
        {
            throw new ValidationException("email", $"O e-mail {email} pertence a um usuário da equipe e não pode ser usado no portal.");
        }
        if (user is not null && user.PartnerId != partner.Id)
        {
            throw new ValidationException("email", $"O e-mail {email} já é usado por um usuário do portal de outra entidade.");
        }
        if (user is not null && !user.Active)
        {
            throw new ConflictException($"O acesso de {user.Name} ao portal foi desativado por um administrador; peça a ele para reativá-lo.");
        }
        if (user is not null && user.PasswordHash is not null)
        {
            throw new ConflictException($"{user.Name} já tem acesso ao portal. Para trocar a senha, use \"Esqueci minha senha\" na página de entrada.");
        }
        var (smtpBlock, company) = await Sending(ct);
        if (smtpBlock is not null)
        {
            throw new ConflictException(smtpBlock);
        }

        await using var tx = await db.Database.BeginTransactionAsync(ct);
        if (user is null)
        {
            user = new User
            {
                Name = contact.Name, Email = email, UserName = email, Role = UserRole.Portal, PartnerId = partner.Id, ContactId = contact.Id,
                SeesCompanyRequests = seesCompanyRequests, Active = true, CreatedAt = Clock.Now(),
            };
            UserService.ThrowOnIdentityErrors(await users.CreateAsync(user));
        }
        else if (user.ContactId != contact.Id || user.SeesCompanyRequests != seesCompanyRequests)
        {
            user.ContactId = contact.Id;
            user.SeesCompanyRequests = seesCompanyRequests;
            user.Version++;
            UserService.ThrowOnIdentityErrors(await users.UpdateAsync(user));
        }
        var sent = await Send(user, AccountLinkPurpose.Invite, caller, company, partner.Name, ct);
        await tx.CommitAsync(ct);
        return sent;
    }

    /// <summary>An admin (re)sends the invitation of an existing Portal user: older unused invitations end, a new 48-hour link goes out.</summary>
    public async Task<AccountLinkSent> InviteUser(Caller caller, long userId, CancellationToken ct = default)
    {
        caller.RequireAdmin();
        var user = await db.Users.FirstOrDefaultAsync(u => u.Id == userId, ct) ?? throw new NotFoundException("Usuário não encontrado.");
        if (user.Role != UserRole.Portal)
        {
            throw new ValidationException("role", "Só usuários do portal recebem convite; a equipe entra com a senha que o administrador define.");
        }
        if (!user.Active)
        {
            throw new ConflictException("Este usuário está desativado: reative-o antes de enviar o convite.");
        }
        if (string.IsNullOrWhiteSpace(user.Email))
        {
            throw new ValidationException("email", "Este usuário não tem e-mail.");
        }
        var (smtpBlock, company) = await Sending(ct);
        if (smtpBlock is not null)
        {
            throw new ConflictException(smtpBlock);
        }
        var partnerName = user.PartnerId is { } partnerId ? await db.Partners.Where(p => p.Id == partnerId).Select(p => p.Name).FirstOrDefaultAsync(ct) : null;
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var sent = await Send(user, AccountLinkPurpose.Invite, caller, company, partnerName, ct);
        await tx.CommitAsync(ct);
        return sent;
    }

    /// <summary>
    /// "Esqueci minha senha": when an active user has this e-mail, a reset link valid for an hour is e-mailed to them. Says nothing
    /// either way (nor when e-mail cannot be sent), so the answer does not tell who has an account.
    /// </summary>
    public async Task ForgotPassword(string? email, CancellationToken ct = default)
    {
        var v = new Validation();
        var clean = v.Text("email", "E-mail", email, 254);
        v.ThrowIfAny();
        var user = await users.FindByEmailAsync(clean);
        if (user is null || !user.Active || string.IsNullOrWhiteSpace(user.Email))
        {
            return;
        }
        var (smtpBlock, company) = await Sending(ct);
        if (smtpBlock is not null)
        {
            return;
        }
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        await Send(user, AccountLinkPurpose.Reset, null, company, null, ct);
        await tx.CommitAsync(ct);
    }

    /// <summary>What the token opens, or why it cannot be used.</summary>
    public async Task<AccountLinkState> Check(string? token, CancellationToken ct = default)
    {
        var (link, user) = await Find(token, ct);
        return link is null || user is null
            ? new AccountLinkState(AccountLinkPurpose.Reset, 0, "", "", UnknownLink)
            : new AccountLinkState(link.Purpose, user.Id, user.Name, user.Email ?? "", ProblemOf(link, user));
    }

    private static string? ProblemOf(AccountLink link, User user) =>
        link.UsedAt is not null ? UsedLink
        : link.ExpiresAt <= Clock.Now() ? (link.Purpose == AccountLinkPurpose.Invite ? ExpiredInvite : ExpiredReset)
        : !user.Active ? InactiveUser
        : null;

    /// <summary>
    /// Sets the password of the link's user: the link is used up, their other open links of its purpose end, every session ends
    /// (new security stamp) and their API tokens are revoked. An unknown, used or expired link, or a password Identity refuses,
    /// changes nothing.
    /// </summary>
    /// <returns>The user, to sign in.</returns>
    public async Task<User> Redeem(string? token, string? password, CancellationToken ct = default)
    {
        var (link, user) = await Find(token, ct);
        if (link is null || user is null)
        {
            throw new ValidationException("token", UnknownLink);
        }
        if (ProblemOf(link, user) is { } problem)
        {
            throw new ValidationException("token", problem);
        }
        var v = new Validation();
        if (string.IsNullOrEmpty(password))
        {
            v.Add("password", "Informe a nova senha.");
        }
        await PasswordRules.Check(users, user, password, "password", v);
        v.ThrowIfAny();

        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var now = Clock.Now();
        // Single use even when two requests race: only the one that flips UsedAt goes on.
        var taken = await db.AccountLinks.Where(l => l.Id == link.Id && l.UsedAt == null).ExecuteUpdateAsync(s => s.SetProperty(l => l.UsedAt, now), ct);
        if (taken == 0)
        {
            throw new ValidationException("token", UsedLink);
        }
        await db.AccountLinks.Where(l => l.UserId == user.Id && l.Purpose == link.Purpose && l.UsedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(l => l.UsedAt, now), ct);
        if (user.PasswordHash is not null)
        {
            UserService.ThrowOnIdentityErrors(await users.RemovePasswordAsync(user));
        }
        UserService.ThrowOnIdentityErrors(await users.AddPasswordAsync(user, password!));
        // The link proves the address; a reset also lifts a lockout.
        user.EmailConfirmed = true;
        user.LockoutEnd = null;
        user.AccessFailedCount = 0;
        UserService.ThrowOnIdentityErrors(await users.UpdateSecurityStampAsync(user));
        await db.ApiTokens.Where(t => t.UserId == user.Id && t.RevokedAt == null).ExecuteUpdateAsync(s => s.SetProperty(t => t.RevokedAt, now), ct);
        await tx.CommitAsync(ct);
        return user;
    }

    /// <summary>The portal access of each contact of a partner the caller sees (contacts without a Portal user are left out: "Sem acesso").</summary>
    public async Task<Dictionary<long, ContactPortalAccess>> ContactAccess(Caller caller, long partnerId, CancellationToken ct = default)
    {
        caller.RequireStaff();
        if (!await Visibility.Partners(db, caller).AnyAsync(p => p.Id == partnerId, ct))
        {
            throw new NotFoundException("Entidade não encontrada.");
        }
        var portalUsers = await db.Users.AsNoTracking()
            .Where(u => u.PartnerId == partnerId && u.Role == UserRole.Portal && u.ContactId != null)
            .Select(u => new
            {
                u.Id, ContactId = u.ContactId!.Value, u.Active, HasPassword = u.PasswordHash != null, u.SeesCompanyRequests,
                InvitedAt = db.AccountLinks.Where(l => l.UserId == u.Id && l.Purpose == AccountLinkPurpose.Invite).OrderByDescending(l => l.Id).Select(l => (DateTimeOffset?)l.CreatedAt).FirstOrDefault(),
            })
            .ToListAsync(ct);
        var access = new Dictionary<long, ContactPortalAccess>();
        foreach (var u in portalUsers.OrderBy(u => u.Id))
        {
            var state = !u.Active ? PortalAccess.Inactive : u.HasPassword ? PortalAccess.Active : u.InvitedAt is not null ? PortalAccess.Invited : PortalAccess.None;
            access[u.ContactId] = new ContactPortalAccess(u.ContactId, state, u.Id, u.InvitedAt, u.SeesCompanyRequests);
        }
        return access;
    }

    /// <summary>The latest invitation of a user, if any (the admin's user page shows it).</summary>
    public Task<DateTimeOffset?> LastInvite(long userId, CancellationToken ct = default) =>
        db.AccountLinks.Where(l => l.UserId == userId && l.Purpose == AccountLinkPurpose.Invite).OrderByDescending(l => l.Id)
            .Select(l => (DateTimeOffset?)l.CreatedAt).FirstOrDefaultAsync(ct);

    private async Task<(AccountLink? Link, User? User)> Find(string? token, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(token) || token.Length > 100)
        {
            return (null, null);
        }
        var hash = TokenService.HashOf(token.Trim());
        var link = await db.AccountLinks.AsNoTracking().FirstOrDefaultAsync(l => l.Hash == hash, ct);
        var user = link is null ? null : await db.Users.FirstOrDefaultAsync(u => u.Id == link.UserId, ct);
        return (link, user);
    }

    /// <summary>Why no e-mail can be written now (pt-BR), or null; and the company's name and saved address.</summary>
    private async Task<(string? Block, (string Name, string? PublicUrl) Company)> Sending(CancellationToken ct)
    {
        var smtp = await db.SmtpSettings.AsNoTracking().Select(s => new { s.Host, s.FromAddress }).FirstOrDefaultAsync(ct);
        var company = await db.CompanyProfiles.AsNoTracking().Select(c => new { c.Name, c.PublicUrl }).FirstOrDefaultAsync(ct);
        var info = (company?.Name ?? "", company?.PublicUrl);
        if (string.IsNullOrEmpty(smtp?.Host) || string.IsNullOrEmpty(smtp.FromAddress))
        {
            return (SmtpMissing, info);
        }
        return links.AccountLink("x", company?.PublicUrl) is null ? (LinkMissing, info) : (null, info);
    }

    /// <summary>Ends the user's open links of <paramref name="purpose"/>, writes a new one and its e-mail (in the caller's transaction).</summary>
    private async Task<AccountLinkSent> Send(User user, AccountLinkPurpose purpose, Caller? inviter, (string Name, string? PublicUrl) company, string? partnerName, CancellationToken ct)
    {
        var now = Clock.Now();
        await db.AccountLinks.Where(l => l.UserId == user.Id && l.Purpose == purpose && l.UsedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(l => l.UsedAt, now), ct);
        var token = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        var link = new AccountLink
        {
            UserId = user.Id, Purpose = purpose, Hash = TokenService.HashOf(token), CreatedAt = now,
            ExpiresAt = now + (purpose == AccountLinkPurpose.Invite ? InviteLifetime : ResetLifetime), CreatedById = inviter?.UserId,
        };
        db.AccountLinks.Add(link);
        var url = links.AccountLink(token, company.PublicUrl)!;
        var draft = purpose == AccountLinkPurpose.Invite
            ? InviteEmail(user, inviter?.Name ?? "", company.Name, partnerName, url)
            : ResetEmail(user, company.Name, url);
        new EmailOutbox(db).Enqueue(draft);
        await db.SaveChangesAsync(ct);
        return new AccountLinkSent(user.Id, link.ExpiresAt);
    }

    private static EmailDraft InviteEmail(User user, string inviter, string company, string? partner, string url)
    {
        var who = string.IsNullOrWhiteSpace(company) ? inviter : $"{inviter}, da {company},";
        var forWhom = string.IsNullOrWhiteSpace(partner) ? "" : $" em nome de {partner}";
        var subject = string.IsNullOrWhiteSpace(company) ? "Convite para o portal de atendimento" : $"Convite para o portal de atendimento da {company}";
        var text = $"""
            Olá, {user.Name}.

            {who} convidou você para o portal de atendimento{(string.IsNullOrWhiteSpace(company) ? "" : " da " + company)}, onde você abre e acompanha pedidos{forWhom}.

            Para aceitar o convite, defina sua senha neste link:
            {url}

            O link vale por 48 horas e só pode ser usado uma vez. Depois disso, peça um novo convite.
            """;
        Func<string?, string?> e = WebUtility.HtmlEncode;
        var html = $"""
            <p>Olá, {e(user.Name)}.</p>
            <p>{e(who)} convidou você para o portal de atendimento{(string.IsNullOrWhiteSpace(company) ? "" : " da " + e(company))}, onde você abre e acompanha pedidos{e(forWhom)}.</p>
            <p><a href="{e(url)}">Definir minha senha e entrar</a></p>
            <p>O link vale por 48 horas e só pode ser usado uma vez. Depois disso, peça um novo convite.</p>
            """;
        return new EmailDraft([user.Email!], subject, html, text, null, null);
    }

    private static EmailDraft ResetEmail(User user, string company, string url)
    {
        var subject = string.IsNullOrWhiteSpace(company) ? "Redefinição de senha" : $"Redefinição de senha — {company}";
        var text = $"""
            Olá, {user.Name}.

            Recebemos um pedido para redefinir a sua senha. Para escolher uma nova senha, abra este link:
            {url}

            O link vale por 1 hora e só pode ser usado uma vez. Se você não pediu, ignore este e-mail: sua senha continua a mesma.
            """;
        Func<string?, string?> e = WebUtility.HtmlEncode;
        var html = $"""
            <p>Olá, {e(user.Name)}.</p>
            <p>Recebemos um pedido para redefinir a sua senha.</p>
            <p><a href="{e(url)}">Escolher uma nova senha</a></p>
            <p>O link vale por 1 hora e só pode ser usado uma vez. Se você não pediu, ignore este e-mail: sua senha continua a mesma.</p>
            """;
        return new EmailDraft([user.Email!], subject, html, text, null, null);
    }
}
