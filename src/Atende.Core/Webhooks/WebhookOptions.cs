using System.Globalization;
using Atende.Core.Email;
using Atende.Core.Queue;

namespace Atende.Core.Webhooks;

/// <summary>Webhook delivery settings, from <c>Atende:Webhooks</c>.</summary>
public sealed class WebhookOptions
{
    /// <summary>
    /// Deliver to loopback, private, link-local and other internal addresses (<c>AllowPrivateTargets</c>, default false): only
    /// for receivers on the company's own network, and tests. Otherwise such a target is refused when registered and when
    /// connected to (the address actually resolved, so DNS names and rebinding are covered).
    /// </summary>
    public bool AllowPrivateTargets { get; set; }
    /// <summary>Run the dispatcher in this process (<c>Dispatcher</c>, default true).</summary>
    public bool Dispatcher { get; set; } = true;
    /// <summary>Seconds between looks at the queue when nothing wakes the dispatcher (<c>PollSeconds</c>, default 15).</summary>
    public double PollSeconds { get; set; } = 15;
    /// <summary>Deliveries claimed at once (<c>BatchSize</c>, default 50); up to <see cref="Parallelism"/> go out together.</summary>
    public int BatchSize { get; set; } = 50;
    public int Parallelism { get; set; } = 8;
    /// <summary>How long a claimed delivery belongs to its dispatcher (<c>LeaseSeconds</c>, default 60; longer than the timeout).</summary>
    public double LeaseSeconds { get; set; } = 60;
    /// <summary>How long a receiver may take to answer (<c>TimeoutSeconds</c>, default 15).</summary>
    public double TimeoutSeconds { get; set; } = 15;
    /// <summary>
    /// Seconds before each attempt, comma separated (<c>RetrySchedule</c>): the first is the first attempt, then one wait per
    /// failure; after the last the delivery is given up (Dead). Each wait gets ±10 % jitter. Default: at once, 5 s, 5 min,
    /// 30 min, 2 h, 5 h, 10 h, 10 h.
    /// </summary>
    public string RetrySchedule { get; set; } = "0,5,300,1800,7200,18000,36000,36000";
    /// <summary>An endpoint failing without a single success for this long is disabled and the admins told (<c>DisableAfterDays</c>, default 5).</summary>
    public double DisableAfterDays { get; set; } = 5;
    /// <summary>Fault injection for the crash test, like <see cref="EmailOptions.CrashPause"/> (never set it in production).</summary>
    public WebhookCrashPoint CrashPause { get; set; } = WebhookCrashPoint.None;

    /// <summary>
    /// The wait before the next attempt after <paramref name="attempts"/> attempts have failed (null: give up), with jitter; a
    /// receiver's Retry-After is honoured when it asks for longer.
    /// </summary>
    public TimeSpan? NextWait(int attempts, TimeSpan? retryAfter)
    {
        var schedule = RetrySchedule.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Select(s => double.Parse(s, CultureInfo.InvariantCulture)).ToArray();
        if (attempts >= schedule.Length)
        {
            return null;
        }
        var wait = TimeSpan.FromSeconds(schedule[attempts] * (0.9 + Random.Shared.NextDouble() * 0.2));
        return retryAfter is { } asked && asked > wait ? asked : wait;
    }
}

/// <summary>Where <see cref="WebhookOptions.CrashPause"/> stops the dispatcher, in the order a delivery goes through them.</summary>
public enum WebhookCrashPoint
{
    None,
    /// <summary>The delivery is claimed (Sending, leased); nothing has reached the receiver.</summary>
    BeforeSend,
    /// <summary>The receiver has answered 2xx; the delivery is not yet marked Sent.</summary>
    BeforeMarkSent,
}

/// <summary>Wakes the webhook dispatcher of this process at once (deliveries committed, an admin retried or sent a test).</summary>
public sealed class WebhookSignal : WakeSignal;
