using Atende.Core.Common;
using Atende.Core.Identity;
using Atende.Core.Settings;
using Atende.Core.Workspaces;
using Atende.Web.Infrastructure;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace Atende.Web.Api;

public sealed record SetupRequest(string? CompanyName, string? AdminName, string? AdminEmail, string? AdminPassword);
public sealed record TokenRequest(string? Email, string? Password, string? Name);
public sealed record WorkspaceDto(long Id, string Name, int Version);
public sealed record WorkspaceWrite(string? Name);
public sealed record UserDto(long Id, string Name, string Email, UserRole Role, long[] WorkspaceIds, long? PartnerId, bool Active, int Version);
public sealed record UserWrite(string? Name, string? Email, UserRole Role = UserRole.Agent, long[]? WorkspaceIds = null, long? PartnerId = null, bool Active = true, string? Password = null);

public static class SetupApi
{
    public static void Map(RouteGroupBuilder api)
    {
        api.MapPost("/setup", async (SetupRequest request, SetupService setup, TokenService tokens, SetupState state, CancellationToken ct) =>
        {
            var admin = await setup.Run(new SetupInput
            {
                CompanyName = request.CompanyName, AdminName = request.AdminName, AdminEmail = request.AdminEmail, AdminPassword = request.AdminPassword,
            }, ct);
            var (_, secret) = await tokens.Create(admin.Id, "Configuração inicial", ct);
            return TypedResults.Created("/api/v1/users/" + admin.Id, new { token = secret });
        }).AllowAnonymous().WithTags("Setup");
    }
}

public static class TokensApi
{
    public static void Map(RouteGroupBuilder api)
    {
        api.MapPost("/tokens", async (TokenRequest request, UserManager<User> users, SignInManager<User> signIn, TokenService tokens, HttpResponse response, CancellationToken ct) =>
        {
            var user = string.IsNullOrWhiteSpace(request.Email) ? null : await users.FindByEmailAsync(request.Email.Trim());
            if (user is null || !user.Active || string.IsNullOrEmpty(request.Password))
            {
                return Results.Problem(statusCode: 401, title: "E-mail ou senha incorretos.");
            }
            var result = await signIn.CheckPasswordSignInAsync(user, request.Password, lockoutOnFailure: true);
            if (result.IsLockedOut)
            {
                if (await users.GetLockoutEndDateAsync(user) is { } end && end > DateTimeOffset.UtcNow)
                {
                    response.Headers.RetryAfter = Math.Ceiling((end - DateTimeOffset.UtcNow).TotalSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture);
                }
                return Results.Problem(statusCode: 429, title: "Conta bloqueada temporariamente por excesso de tentativas.");
            }
            if (!result.Succeeded)
            {
                return Results.Problem(statusCode: 401, title: "E-mail ou senha incorretos.");
            }
            var (token, secret) = await tokens.Create(user.Id, string.IsNullOrWhiteSpace(request.Name) ? "API" : request.Name, ct);
            return Results.Created($"/api/v1/tokens/{token.Id}", new { token = secret, id = token.Id, name = token.Name });
        }).AllowAnonymous().WithTags("Tokens");

        api.MapGet("/tokens", async (TokenService tokens, Caller caller, CancellationToken ct) =>
            TypedResults.Ok(new
            {
                items = (await tokens.ListOf(caller.UserId, ct)).Select(t => new { id = t.Id, name = t.Name, prefix = t.Prefix, createdAt = t.CreatedAt, lastUsedAt = t.LastUsedAt, revoked = t.RevokedAt != null }),
                next = (string?)null,
            })).WithTags("Tokens");

        api.MapDelete("/tokens/{id:long}", async (long id, TokenService tokens, Caller caller, CancellationToken ct) =>
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
        group.MapGet("/", async (WorkspaceService workspaces, CancellationToken ct) =>
            TypedResults.Ok(new { items = (await workspaces.Visible(ct)).Select(w => new WorkspaceDto(w.Id, w.Name, w.Version)), next = (string?)null }));
        group.MapGet("/{id:long}", async (long id, WorkspaceService workspaces, HttpResponse response, CancellationToken ct) =>
        {
            var w = await workspaces.Get(id, ct);
            ApiHelpers.SetETag(response, w.Version);
            return TypedResults.Ok(new WorkspaceDto(w.Id, w.Name, w.Version));
        });
        group.MapPost("/", async (WorkspaceWrite body, WorkspaceService workspaces, CancellationToken ct) =>
        {
            var w = await workspaces.Create(body.Name, ct);
            return TypedResults.Created($"/api/v1/workspaces/{w.Id}", new WorkspaceDto(w.Id, w.Name, w.Version));
        });
        group.MapPatch("/{id:long}", async (long id, WorkspaceWrite body, WorkspaceService workspaces, HttpContext http, CancellationToken ct) =>
        {
            var w = await workspaces.Rename(id, ApiHelpers.RequireIfMatch(http.Request), body.Name, ct);
            ApiHelpers.SetETag(http.Response, w.Version);
            return TypedResults.Ok(new WorkspaceDto(w.Id, w.Name, w.Version));
        });
    }
}

public static class UsersApi
{
    public static UserDto ToDto(User u) => new(u.Id, u.Name, u.Email ?? "", u.Role, u.Workspaces.Select(w => w.WorkspaceId).Order().ToArray(), u.PartnerId, u.Active, u.Version);

    private static UserInput ToInput(UserWrite w) => new()
    {
        Name = w.Name, Email = w.Email, Role = w.Role, WorkspaceIds = (w.WorkspaceIds ?? []).ToList(), PartnerId = w.PartnerId, Active = w.Active, Password = w.Password,
    };

    public static void Map(RouteGroupBuilder api)
    {
        var group = api.MapGroup("/users").RequireAuthorization(Auth.AdminPolicy).WithTags("Users");
        group.MapGet("/", async (UserService users, string? after, int? limit, CancellationToken ct) =>
        {
            var page = await users.List(after, limit ?? 100, ct);
            return TypedResults.Ok(new { items = page.Items.Select(ToDto), next = page.Next });
        });
        group.MapGet("/{id:long}", async (long id, UserService users, HttpResponse response, CancellationToken ct) =>
        {
            var user = await users.Get(id, ct);
            ApiHelpers.SetETag(response, user.Version);
            return TypedResults.Ok(ToDto(user));
        });
        group.MapPost("/", async (UserWrite body, UserService users, CancellationToken ct) =>
        {
            var user = await users.Create(ToInput(body), ct);
            return TypedResults.Created($"/api/v1/users/{user.Id}", ToDto(await users.Get(user.Id, ct)));
        });
        group.MapPatch("/{id:long}", async (long id, System.Text.Json.Nodes.JsonObject body, UserService users, HttpContext http, CancellationToken ct) =>
        {
            var version = ApiHelpers.RequireIfMatch(http.Request);
            var current = ToDto(await users.Get(id, ct));
            var write = ApiHelpers.Merge(http, new UserWrite(current.Name, current.Email, current.Role, current.WorkspaceIds, current.PartnerId, current.Active), body);
            await users.Update(id, version, ToInput(write), ct);
            var user = await users.Get(id, ct);
            ApiHelpers.SetETag(http.Response, user.Version);
            return TypedResults.Ok(ToDto(user));
        });
        group.MapDelete("/{id:long}", async (long id, UserService users, CancellationToken ct) =>
        {
            await users.Deactivate(id, ct);
            return TypedResults.NoContent();
        });
    }
}
