using System.Text.Json;
using Atende.Core.Live;
using Microsoft.EntityFrameworkCore;
using StackExchange.Redis;
using Microsoft.AspNetCore.SignalR;

namespace Atende.Web.Live;

/// <summary>One node: the notes go straight to this node's screens.</summary>
public sealed class LocalLiveBus(LiveFanout fanout) : ILiveBus
{
    public void Publish(IReadOnlyList<LiveNote> notes) => fanout.Deliver(notes);
}

/// <summary>
/// Several nodes (<c>ConnectionStrings__Redis</c>): this node's screens get the notes at once, the other nodes through the
/// Redis channel <c>atende:live</c> (the connection SignalR's backplane uses too). Redis pub/sub keeps nothing: notes
/// published while a node is cut off are lost to it, so when its connection comes back every screen of that node is told to
/// catch up (<see cref="LiveFanout.Resync"/>) — the chat asks for the messages after its last <c>Seq</c>, which the database has.
/// </summary>
public sealed class RedisLiveBus : ILiveBus, IDisposable
{
    private static readonly RedisChannel Channel = RedisChannel.Literal("atende:live");
    private readonly string _node = Guid.NewGuid().ToString("N");
    private readonly LiveFanout _fanout;
    private readonly IConnectionMultiplexer _redis;
    private readonly ILogger<RedisLiveBus> _log;

    private sealed record Envelope(string Node, IReadOnlyList<LiveNote> Notes);

    public RedisLiveBus(LiveFanout fanout, IConnectionMultiplexer redis, ILogger<RedisLiveBus> log)
    {
        _fanout = fanout;
        _redis = redis;
        _log = log;
        // Not the blocking Subscribe: this bus is built with the first database context (AfterCommit), and with Redis down a
        // synchronous SUBSCRIBE throws after its 5 s timeout, which stopped the app from starting. The client keeps the
        // subscription whatever the answer and sends it again when it connects.
        _redis.GetSubscriber().SubscribeAsync(Channel, (_, value) => Received(value)).ContinueWith(
            t => _log.LogWarning(t.Exception, "Not subscribed to the live notes of the other nodes yet; Redis will get the subscription when it is back"),
            TaskContinuationOptions.OnlyOnFaulted);
        _redis.ConnectionRestored += Restored;
    }

    public void Publish(IReadOnlyList<LiveNote> notes)
    {
        _fanout.Deliver(notes);
        try
        {
            _redis.GetSubscriber().Publish(Channel, JsonSerializer.Serialize(new Envelope(_node, notes)), CommandFlags.FireAndForget);
        }
        catch (RedisException e)
        {
            _log.LogWarning(e, "Live notes not sent to the other nodes; their screens catch up when Redis is back");
        }
    }

    private void Received(RedisValue value)
    {
        try
        {
            var envelope = JsonSerializer.Deserialize<Envelope>(value.ToString());
            if (envelope is not null && envelope.Node != _node)
            {
                _fanout.Deliver(envelope.Notes);
            }
        }
        catch (JsonException e)
        {
            _log.LogWarning(e, "Unreadable live note on the Redis channel");
        }
    }

    private void Restored(object? sender, ConnectionFailedEventArgs e)
    {
        if (e.ConnectionType == ConnectionType.Subscription)
        {
            _log.LogInformation("Redis is back: telling this node's live screens to catch up");
            _fanout.Resync();
        }
    }

    public void Dispose() => _redis.ConnectionRestored -= Restored;
}

public static class LiveServices
{
    /// <summary>
    /// A hub request lives as long as its socket, and so does its scope: once the caller is loaded (which opened the request's
    /// database connection, <see cref="Atende.Core.Identity.AccessVersion.Read"/>), the connection goes back to the pool, so
    /// 500 screens do not hold 500 database connections (each hub call has a scope of its own). bench/README.md, "Live hub".
    /// </summary>
    public static async Task ReleaseDatabase(HttpContext context, Func<Task> next)
    {
        if (context.Request.Path.StartsWithSegments("/hubs"))
        {
            // Each explicit open is matched by a close (EF counts them): close until it is closed.
            var database = context.RequestServices.GetRequiredService<Atende.Core.Data.AtendeDb>().Database;
            for (var i = 0; i < 10 && database.GetDbConnection().State != System.Data.ConnectionState.Closed; i++)
            {
                await database.CloseConnectionAsync();
            }
        }
        await next();
    }

    /// <summary>
    /// The hub, its fan-out and the bus: in-process without <c>ConnectionStrings:Redis</c>; with it, SignalR's Redis backplane
    /// and the notes' channel on one connection (which reconnects by itself: the app starts and runs while Redis is down).
    /// </summary>
    public static void AddAtendeLive(this IServiceCollection services, IConfiguration config)
    {
        var signalR = services.AddSignalR(o =>
        {
            // A 20,000-character message is refused by the chat's rule with its message, not by a closed connection.
            o.MaximumReceiveMessageSize = 256 * 1024;
            o.AddFilter(new LiveHubErrors());
        });
        services.AddSingleton<LiveFanout>();
        services.AddHostedService(sp => sp.GetRequiredService<LiveFanout>());
        var redis = config.GetConnectionString("Redis");
        if (string.IsNullOrWhiteSpace(redis))
        {
            services.AddSingleton<ILiveBus, LocalLiveBus>();
            return;
        }
        var options = ConfigurationOptions.Parse(redis);
        options.AbortOnConnectFail = false;
        options.ClientName ??= "atende";
        var connection = new Lazy<IConnectionMultiplexer>(() => ConnectionMultiplexer.Connect(options));
        services.AddSingleton(_ => connection.Value);
        services.AddSingleton<ILiveBus, RedisLiveBus>();
        signalR.AddStackExchangeRedis(o =>
        {
            o.Configuration.ChannelPrefix = RedisChannel.Literal("atende");
            o.ConnectionFactory = _ => Task.FromResult(connection.Value);
        });
    }
}
