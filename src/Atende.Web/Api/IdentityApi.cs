using Atende.Core.Common;
using Atende.Core.Identity;
using Atende.Core.Settings;
using Atende.Core.Workspaces;
using Atende.Web.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace Atende.Web.Api;

public sealed record SetupRequest(string? CompanyName, string? AdminName, string? AdminEmail, string? AdminPassword) : IJsonBody<SetupRequest>;
public sealed record TokenRequest(string? Email, string? Password, string? Name) : IJsonBody<TokenRequest>;
/// <summary>The first admin's API token, shown once.</summary>
public sealed record SetupResultDto(string Token);
/// <summary>A new API token: <see cref="Token"/> is the secret, shown only in this answer.</summary>
public sealed record TokenCreatedDto(string Token, long Id, string Name);
/// <summary>One of the caller's API tokens (never its secret; <see cref="Prefix"/> tells them apart).</summary>
public sealed record TokenDto(long Id, string Name, string Prefix, DateTimeOffset CreatedAt, DateTimeOffset? LastUsedAt, bool Revoked);

public sealed record WorkspaceDto(long Id, string Name, int Version);
public sealed record WorkspaceWrite(string? Name) : IJsonBody<WorkspaceWrite>;
public sealed record UserDto(long Id, string Name, string Email, UserRole Role, long[] WorkspaceIds, long? PartnerId, long? ContactId, bool SeesCompanyRequests, bool Active, int Version);
public sealed record UserWrite(string? Name, string? Email, UserRole Role = UserRole.Agent, long[]? WorkspaceIds = null, long? PartnerId = null, bool Active = true, string? Password = null,
    long? ContactId = null, bool SeesCompanyRequests = false) : IJsonBody<UserWrite>;
/// <summary>An invitation was e-mailed to the Portal user; its link works until <see cref="ExpiresAt"/>.</summary>
public sealed record InviteSentDto(long UserId, DateTimeOffset ExpiresAt);
public sealed record ContactInviteWrite(bool SeesCompanyRequests = false) : IJsonBody<ContactInviteWrite>;
public sealed record ForgotPasswordRequest(string? Email) : IJsonBody<ForgotPasswordRequest>;
public sealed record ResetPasswordRequest(string? Token, string? Password) : IJsonBody<ResetPasswordRequest>;

public static class SetupApi
{
    public static void Map(RouteGroupBuilder api)
    {
        api.MapPost("/setup", static async (SetupRequest request, SetupService setup, TokenService tokens, SetupState state, CancellationToken ct) =>
        {
            var admin = await setup.Run(new SetupInput
            {
                CompanyName = request.CompanyName, AdminName = request.AdminName, AdminEmail = request.AdminEmail, AdminPassword = request.AdminPassword,
            }, ct);
            var (_, secret) = await tokens.Create(admin.Id, "Configuração inicial", ct);
            return TypedResults.Created("/api/v1/users/" + admin.Id, new SetupResultDto(secret));
        }).AllowAnonymous().WithTags("Setup");
    }
}

public static class TokensApi
{
    public static void Map(RouteGroupBuilder api)
    {
        api.MapPost("/tokens", static async Task<Results<Created<TokenCreatedDto>, ProblemHttpResult>> (TokenRequest request, UserManager<User> users, SignInManager<User> signIn,
            TokenService tokens, HttpResponse response, CancellationToken ct) =>
        {
            var user = string.IsNullOrWhiteSpace(request.Email) ? null : await users.FindByEmailAsync(request.Email.Trim());
            if (user is null || !user.Active || string.IsNullOrEmpty(request.Password))
            {
                return TypedResults.Problem(statusCode: 401, title: "E-mail ou senha incorretos.");
            }
            var result = await signIn.CheckPasswordSignInAsync(user, request.Password, lockoutOnFailure: true);
            if (result.IsLockedOut)
            {
                if (await users.GetLockoutEndDateAsync(user) is { } end && end > DateTimeOffset.UtcNow)
                {
                    response.Headers.RetryAfter = Math.Ceiling((end - DateTimeOffset.UtcNow).TotalSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture);
                }
                return TypedResults.Problem(statusCode: 429, title: "Conta bloqueada temporariamente por excesso de tentativas.");
            }
            if (!result.Succeeded)
            {
                return TypedResults.Problem(statusCode: 401, title: "E-mail ou senha incorretos.");
            }
            var (token, secret) = await tokens.Create(user.Id, string.IsNullOrWhiteSpace(request.Name) ? "API" : request.Name, ct);
            return TypedResults.Created($"/api/v1/tokens/{token.Id}", new TokenCreatedDto(secret, token.Id, token.Name));
        }).AllowAnonymous().RequireRateLimiting(RateLimits.Login).WithTags("Tokens");

        api.MapGet("/tokens", static async (TokenService tokens, Caller caller, CancellationToken ct) =>
            TypedResults.Ok(new ItemList<TokenDto>([.. (await tokens.ListOf(caller.UserId, ct))
                .Select(t => new TokenDto(t.Id, t.Name, t.Prefix, t.CreatedAt, t.LastUsedAt, t.RevokedAt != null))], null))).WithTags("Tokens");

        api.MapDelete("/tokens/{id:long}", static async (long id, TokenService tokens, Caller caller, CancellationToken ct) =>
        {
            await tokens.Revoke(caller.UserId, id, ct);
            return TypedResults.NoContent();
        }).WithTags("Tokens");
    }
}

public static class WorkspacesApi
{
    public static void Map(RouteGroupBuilder api)
    {
        var group = api.MapGroup("/workspaces").RequireAuthorization(Auth.StaffPolicy).WithTags("Workspaces");
        group.MapGet("/", static async (WorkspaceService workspaces, CancellationToken ct) =>
            TypedResults.Ok(new ItemList<WorkspaceDto>([.. (await workspaces.Visible(ct)).Select(w => new WorkspaceDto(w.Id, w.Name, w.Version))], null)));
        group.MapGet("/{id:long}", static async (long id, WorkspaceService workspaces, HttpResponse response, CancellationToken ct) =>
        {
            var w = await workspaces.Get(id, ct);
            ApiHelpers.SetETag(response, w.Version);
            return TypedResults.Ok(new WorkspaceDto(w.Id, w.Name, w.Version));
        });
        group.MapPost("/", static async (WorkspaceWrite body, WorkspaceService workspaces, CancellationToken ct) =>
        {
            var w = await workspaces.Create(body.Name, ct);
            return TypedResults.Created($"/api/v1/workspaces/{w.Id}", new WorkspaceDto(w.Id, w.Name, w.Version));
        });
        group.MapPatch("/{id:long}", static async (long id, MergePatch<WorkspaceWrite> body, WorkspaceService workspaces, HttpContext http, CancellationToken ct) =>
        {
            var version = ApiHelpers.RequireIfMatch(http.Request);
            var write = body.ApplyTo(new WorkspaceWrite((await workspaces.Get(id, ct)).Name));
            var w = await workspaces.Rename(id, version, write.Name, ct);
            ApiHelpers.SetETag(http.Response, w.Version);
            return TypedResults.Ok(new WorkspaceDto(w.Id, w.Name, w.Version));
        });
    }
}

public static class UsersApi
{
    public static UserDto ToDto(User u) => new(u.Id, u.Name, u.Email ?? "", u.Role, u.Workspaces.Select(w => w.WorkspaceId).Order().ToArray(), u.PartnerId,
        u.ContactId, u.SeesCompanyRequests, u.Active, u.Version);

    private static UserInput ToInput(UserWrite w) => new()
    {
        Name = w.Name, Email = w.Email, Role = w.Role, WorkspaceIds = (w.WorkspaceIds ?? []).ToList(), PartnerId = w.PartnerId, Active = w.Active, Password = w.Password,
        ContactId = w.ContactId, SeesCompanyRequests = w.SeesCompanyRequests,
    };

    public static void Map(RouteGroupBuilder api)
    {
        var group = api.MapGroup("/users").RequireAuthorization(Auth.AdminPolicy).WithTags("Users");
        group.MapGet("/", static async (UserService users, string? after, int? limit, CancellationToken ct) =>
        {
            var page = await users.List(after, limit ?? 100, ct);
            return TypedResults.Ok(new ItemList<UserDto>([.. page.Items.Select(ToDto)], page.Next));
        });
        group.MapGet("/{id:long}", static async (long id, UserService users, HttpResponse response, CancellationToken ct) =>
        {
            var user = await users.Get(id, ct);
            ApiHelpers.SetETag(response, user.Version);
            return TypedResults.Ok(ToDto(user));
        });
        group.MapPost("/", static async (UserWrite body, UserService users, CancellationToken ct) =>
        {
            var user = await users.Create(ToInput(body), ct);
            return TypedResults.Created($"/api/v1/users/{user.Id}", ToDto(await users.Get(user.Id, ct)));
        });
        group.MapPatch("/{id:long}", static async (long id, MergePatch<UserWrite> body, UserService users, HttpContext http, CancellationToken ct) =>
        {
            var version = ApiHelpers.RequireIfMatch(http.Request);
            var current = ToDto(await users.Get(id, ct));
            var write = body.ApplyTo(new UserWrite(current.Name, current.Email, current.Role, current.WorkspaceIds, current.PartnerId, current.Active,
                ContactId: current.ContactId, SeesCompanyRequests: current.SeesCompanyRequests));
            await users.Update(id, version, ToInput(write), ct);
            var user = await users.Get(id, ct);
            ApiHelpers.SetETag(http.Response, user.Version);
            return TypedResults.Ok(ToDto(user));
        });
        group.MapDelete("/{id:long}", static async (long id, UserService users, CancellationToken ct) =>
        {
            await users.Deactivate(id, ct);
            return TypedResults.NoContent();
        });
        group.MapPost("/{id:long}/invite", static async (long id, AccountLinkService links, Caller caller, CancellationToken ct) =>
        {
            var sent = await links.InviteUser(caller, id, ct);
            return TypedResults.Accepted((string?)null, new InviteSentDto(sent.UserId, sent.ExpiresAt));
        });
    }
}

/// <summary>
/// Getting in: staff invite a partner's contact to the portal; everyone asks for a reset link and chooses a password with a
/// link's token (anonymous, rate-limited per client address).
/// </summary>
public static class AccountApi
{
    public static void Map(RouteGroupBuilder api)
    {
        api.MapPost("/partners/{id:long}/contacts/{contactId:long}/invite", static async (long id, long contactId, ContactInviteWrite body, AccountLinkService links,
            Caller caller, CancellationToken ct) =>
        {
            var sent = await links.InviteContact(caller, id, contactId, body.SeesCompanyRequests, ct);
            return TypedResults.Accepted((string?)null, new InviteSentDto(sent.UserId, sent.ExpiresAt));
        }).RequireAuthorization(Auth.StaffPolicy).WithTags("Partners");

        var account = api.MapGroup("/account").WithTags("Account");
        account.MapPost("/forgot-password", static async (ForgotPasswordRequest body, AccountLinkService links, CancellationToken ct) =>
        {
            await links.ForgotPassword(body.Email, ct);
            return TypedResults.Accepted((string?)null);
        }).AllowAnonymous().RequireRateLimiting(RateLimits.ForgotPassword);
        account.MapPost("/reset-password", static async (ResetPasswordRequest body, AccountLinkService links, CancellationToken ct) =>
        {
            await links.Redeem(body.Token, body.Password, ct);
            return TypedResults.NoContent();
        }).AllowAnonymous().RequireRateLimiting(RateLimits.AccountLink);
    }
}
