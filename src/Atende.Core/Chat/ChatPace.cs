using System.Threading.RateLimiting;
using Atende.Core.Common;

namespace Atende.Core.Chat;

/// <summary>
/// How fast one user may post chat messages, on this node, whichever way they come (the hub or the API): a burst of 10, then 5
/// a second. A person typing never reaches it; a script that floods a ticket is told to slow down and loses nothing it had sent.
/// </summary>
public sealed class ChatPace : IDisposable
{
    public const int Burst = 10;
    public const int PerSecond = 5;

    private readonly PartitionedRateLimiter<long> _limiter = PartitionedRateLimiter.Create<long, long>(userId =>
        RateLimitPartition.GetTokenBucketLimiter(userId, _ => new TokenBucketRateLimiterOptions
        {
            TokenLimit = Burst, TokensPerPeriod = PerSecond, ReplenishmentPeriod = TimeSpan.FromSeconds(1), QueueLimit = 0, AutoReplenishment = true,
        }));

    /// <summary>Takes one message of <paramref name="userId"/>'s allowance, or refuses with a message for them.</summary>
    public void Take(long userId)
    {
        using var lease = _limiter.AttemptAcquire(userId);
        if (!lease.IsAcquired)
        {
            throw new TooManyRequestsException("Você está enviando mensagens rápido demais. Aguarde um instante e envie de novo.");
        }
    }

    public void Dispose() => _limiter.Dispose();
}
