using System.Globalization;
using Atende.Bench.Live;

// The live hub under load: see bench/README.md, "Live hub: 500 clients, 50 msg/s", and bench/run-live.sh, which starts the
// app on a fresh database and runs this.
//
//   dotnet bench/Atende.Bench.Live/bin/Release/net10.0/Atende.Bench.Live.dll --url http://127.0.0.1:5320 [options]

var options = LiveOptions.Parse(args);
if (options is null)
{
    Console.Error.WriteLine(LiveOptions.Usage);
    return 64;
}

using var http = new HttpClient { BaseAddress = new Uri(options.Url), Timeout = TimeSpan.FromMinutes(2) };
Console.WriteLine($"Atende live hub load: {options.Url}, {options.Tickets} tickets x {options.Watchers} watchers = {options.Tickets * options.Watchers} connections, " +
    $"{options.Rate.ToString(CultureInfo.InvariantCulture)} msg/s for {options.Duration} s after {options.Warmup} s of warm-up; " +
    $"{ProcStats.MachineCores()} cores, load {ProcStats.LoadAverage()}, {DateTime.UtcNow:yyyy-MM-ddTHH:mm:ssZ}");

var world = await Setup.Build(http, options);
if (options.AppPid is { } appPid)
{
    var files = ProcStats.OpenFiles(appPid);
    Console.WriteLine($"App after the setup: RSS {ProcStats.StatusMb(appPid, "VmRSS"):F0} MB, {ProcStats.Threads(appPid)} threads, " +
        $"{files.All} open files ({files.Sqlite} on SQLite files, {files.Sockets} sockets)");
}
await using var run = new LiveRun(options, world);
if (!await run.Connect())
{
    Console.WriteLine("RESULT connect_failed=true ok=False");
    return 3;
}
var result = await run.Measure();
result.Print(options);
if (options.Json is { } path)
{
    await File.WriteAllTextAsync(path, result.ToJson());
}
return result.Ok ? 0 : 2;
