using System.Globalization;
using System.Text.RegularExpressions;

namespace Atende.Web.Tests.Infrastructure;

/// <summary>
/// The kill -9 loop the crash tests share: one app process per planned crash point, started so it stops at that point (a
/// dispatcher's <c>CrashPause</c> setting), killed with SIGKILL as soon as it logs that it stopped there.
/// </summary>
public static class CrashLoop
{
    /// <summary>The seed that shuffles the plan: ATENDE_CRASH_SEED to replay a failed run, else a new one (print it).</summary>
    public static int Seed() =>
        int.TryParse(Environment.GetEnvironmentVariable("ATENDE_CRASH_SEED"), CultureInfo.InvariantCulture, out var seed) ? seed : Random.Shared.Next();

    /// <summary>Each point <paramref name="killsPerPoint"/> times, shuffled by <paramref name="seed"/>.</summary>
    public static T[] Plan<T>(IEnumerable<T> points, int killsPerPoint, int seed)
    {
        var plan = points.SelectMany(p => Enumerable.Repeat(p, killsPerPoint)).ToArray();
        new Random(seed).Shuffle(plan);
        return plan;
    }

    /// <summary>
    /// For each cycle (numbered from 1): starts the app stopping at <c>plan[cycle - 1]</c>, waits for its <paramref name="pauseLine"/>,
    /// kills it (<see cref="AppProcess.Kill"/> checks the SIGKILL exit status), then hands the cycle and the line to
    /// <paramref name="killed"/>, which checks it before the next cycle starts.
    /// </summary>
    public static async Task Run<T>(IReadOnlyList<T> plan, Func<T, Task<AppProcess>> start, Regex pauseLine, TimeSpan pauseTimeout,
        Action<int, Match> killed)
    {
        for (var cycle = 1; cycle <= plan.Count; cycle++)
        {
            await using var app = await start(plan[cycle - 1]);
            var pause = await app.WaitForLine(pauseLine, pauseTimeout);
            await app.Kill();
            killed(cycle, pause);
        }
    }
}
