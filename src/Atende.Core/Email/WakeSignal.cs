namespace Atende.Core.Email;

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
}

/// <summary>Wakes the reply poller of this process at once (the mailbox settings changed, an admin asked to check now).</summary>
public sealed class InboxSignal : WakeSignal;
