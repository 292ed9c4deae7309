using Atende.Core.Queue;

namespace Atende.Core.Email;

/// <summary>Dispatcher settings, from <c>Atende:Email</c>.</summary>
public sealed class EmailOptions
{
    /// <summary>Seconds between looks at the outbox when nothing wakes the dispatcher (<c>PollSeconds</c>, default 30).</summary>
    public double PollSeconds { get; set; } = 30;
    /// <summary>Attempts before a row is given up as dead (<c>MaxAttempts</c>, default 8).</summary>
    public int MaxAttempts { get; set; } = 8;
    /// <summary>Wait after the first failed attempt, doubled after each further one (<c>RetryBaseSeconds</c>, default 60).</summary>
    public double RetryBaseSeconds { get; set; } = 60;
    /// <summary>Longest wait between attempts (<c>RetryMaxSeconds</c>, default 1 h).</summary>
    public double RetryMaxSeconds { get; set; } = 3600;
    /// <summary>How long a claimed row belongs to its dispatcher; after that a crashed node's row is taken again (<c>LeaseSeconds</c>, default 300).</summary>
    public double LeaseSeconds { get; set; } = 300;
    /// <summary>Rows claimed at once (<c>BatchSize</c>, default 20).</summary>
    public int BatchSize { get; set; } = 20;
    /// <summary>Run the dispatcher in this process (<c>Dispatcher</c>, default true).</summary>
    public bool Dispatcher { get; set; } = true;
    /// <summary>
    /// Fault injection for the crash test (<c>CrashPause</c>, default <see cref="OutboxCrashPoint.None"/>; never set it in
    /// production): at this point of an e-mail's first attempt the dispatcher logs a "CrashPause" line and stops there for good,
    /// so the test can <c>kill -9</c> the process exactly at that point.
    /// </summary>
    public OutboxCrashPoint CrashPause { get; set; } = OutboxCrashPoint.None;

    public TimeSpan Backoff(int attempts) =>
        TimeSpan.FromSeconds(Math.Min(RetryMaxSeconds, RetryBaseSeconds * Math.Pow(2, Math.Max(0, attempts - 1))));
}

/// <summary>Where <see cref="EmailOptions.CrashPause"/> stops the dispatcher, in the order an e-mail goes through them.</summary>
public enum OutboxCrashPoint
{
    None,
    /// <summary>The row is claimed (Sending, leased) and its Message-ID stored; nothing has reached the SMTP server.</summary>
    BeforeSend,
    /// <summary>The server has answered 250 to the message (MailKit's MessageSent), inside the SMTP exchange.</summary>
    AfterServerAccepted,
    /// <summary>The send has returned the server's answer; the row is not yet marked Sent.</summary>
    BeforeMarkSent,
}

/// <summary>Wakes the dispatcher of this process at once (an e-mail was committed, the settings changed, an admin retried).</summary>
public sealed class OutboxSignal : WakeSignal;

/// <summary>Wakes the reply poller of this process at once (the mailbox settings changed, an admin asked to check now).</summary>
public sealed class InboxSignal : WakeSignal;
