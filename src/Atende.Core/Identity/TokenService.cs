using System.Security.Cryptography;
using System.Text;
using Atende.Core.Common;
using Atende.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace Atende.Core.Identity;

/// <summary>Personal API tokens: random secrets shown once, stored as SHA-256 hashes.</summary>
public sealed class TokenService(AtendeDb db, CallerCache callers)
{
    private const string TokenPrefix = "atd_";

    /// <summary>Creates a token for the user and returns its secret (the only time it is visible).</summary>
    public async Task<(ApiToken Token, string Secret)> Create(long userId, string? name, CancellationToken ct = default)
    {
        var v = new Validation();
        var clean = v.Text("name", "Nome do token", name, 100);
        v.ThrowIfAny();
        var secret = TokenPrefix + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        var token = new ApiToken
        {
            UserId = userId,
            Name = clean,
            Hash = HashOf(secret),
            Prefix = secret[..10],
            CreatedAt = Clock.Now(),
        };
        db.ApiTokens.Add(token);
        await db.SaveChangesAsync(ct);
        return (token, secret);
    }

    public Task<List<ApiToken>> ListOf(long userId, CancellationToken ct = default) =>
        db.ApiTokens.Where(t => t.UserId == userId).OrderByDescending(t => t.Id).ToListAsync(ct);

    public async Task Revoke(long userId, long tokenId, CancellationToken ct = default)
    {
        var token = await db.ApiTokens.FirstOrDefaultAsync(t => t.Id == tokenId && t.UserId == userId, ct)
            ?? throw new NotFoundException("Token não encontrado.");
        token.RevokedAt ??= Clock.Now();
        await db.SaveChangesAsync(ct);
    }

    /// <summary>
    /// The caller (an active user, with their grants) owning this live token, or null: one one-row query while nothing about
    /// the token or its user changed (<see cref="CallerCache"/>). Its last use is written at most every 5 minutes.
    /// </summary>
    /// <param name="knownVersion">The access version the caller just read, else read here (<see cref="CallerCache.Session"/>).</param>
    public async Task<Caller?> Authenticate(string secret, CancellationToken ct = default, long? knownVersion = null)
    {
        if (!secret.StartsWith(TokenPrefix, StringComparison.Ordinal) || secret.Length > 100)
        {
            return null;
        }
        var hash = HashOf(secret);
        var entry = await callers.Token(db, hash, version => Load(hash, version, ct), ct, knownVersion);
        if (entry is null)
        {
            return null;
        }
        var now = Clock.Now();
        if (entry.LastUsedAt is null || now - entry.LastUsedAt > TimeSpan.FromMinutes(5))
        {
            await db.ApiTokens.Where(t => t.Id == entry.TokenId).ExecuteUpdateAsync(s => s.SetProperty(t => t.LastUsedAt, now), ct);
            callers.Touched(hash, entry, now);
        }
        return entry.Caller;
    }

    private async Task<CallerCache.Loaded?> Load(string hash, long version, CancellationToken ct)
    {
        var found = await db.ApiTokens
            .Where(t => t.Hash == hash && t.RevokedAt == null)
            .Join(db.Users, t => t.UserId, u => u.Id, (t, u) => new { t.Id, t.LastUsedAt, User = u })
            .Where(x => x.User.Active)
            .Select(x => new
            {
                x.Id, x.LastUsedAt, x.User.Name, x.User.Role, x.User.PartnerId, x.User.ContactId, x.User.SeesCompanyRequests, x.User.HiddenTicketColumns,
                UserId = x.User.Id,
                Workspaces = x.User.Workspaces.Select(w => w.WorkspaceId).ToList(),
                Pipelines = x.User.Pipelines.Select(p => p.PipelineId).ToList(),
            })
            .AsSplitQuery()
            .FirstOrDefaultAsync(ct);
        return found is null
            ? null
            : new CallerCache.Loaded(version, new Caller(found.UserId, found.Name, found.Role, found.Workspaces, found.PartnerId, found.Pipelines)
            {
                AccessVersion = version, HiddenTicketColumns = found.HiddenTicketColumns, SeesCompanyRequests = found.SeesCompanyRequests,
                ContactId = found.ContactId,
            }, found.Id, found.LastUsedAt);
    }

    internal static string HashOf(string secret) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));
}
