using Microsoft.Extensions.Logging;

namespace Atende.Core.Queue;

/// <summary>Wakes a background loop of this process at once, instead of at its next scheduled look.</summary>
public abstract class WakeSignal
{
    private readonly SemaphoreSlim _wake = new(0, 1);

    public void Wake()
    {
        try
        {
            if (_wake.CurrentCount == 0)
            {
                _wake.Release();
            }
        }
        catch (SemaphoreFullException)
        {
            // Already awake.
        }
    }

    /// <summary>Waits until woken or <paramref name="timeout"/> passes.</summary>
    public Task Wait(TimeSpan timeout, CancellationToken ct) => _wake.WaitAsync(timeout, ct);

    /// <summary>
    /// A background loop: runs <paramref name="round"/> again at once while it says there is more to do, else after
    /// <paramref name="pause"/> or when woken, until the app stops. A failing round is logged and never stops the app.
    /// </summary>
    public async Task RunRounds(Func<CancellationToken, Task<bool>> round, TimeSpan pause, ILogger log, string what, CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            var more = false;
            try
            {
                more = await round(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                log.LogError(e, "The {What} round failed; trying again in {Pause}.", what, pause);
            }
            if (more)
            {
                continue;
            }
            try
            {
                await Wait(pause, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}
