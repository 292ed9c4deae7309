namespace Atende.Web.Infrastructure;

/// <summary>
/// What the command line asks for besides configuration: the switches <c>--demo</c> and <c>--migrate-only</c>, or a command
/// (<c>backup --to FILE</c>, <c>restore --from FILE [--force]</c>). They are taken out of the arguments before the configuration
/// reads them: left in, the command-line provider would take the next argument as their value (<c>--demo --urls http://…</c>
/// would lose the <c>--urls</c>). Everything else (<c>--urls</c>, <c>--Atende:DataPath=…</c>) stays configuration, for the commands
/// too.
/// </summary>
public sealed record StartArgs(bool Demo, bool MigrateOnly, string? Command, string? To, string? From, bool Force, string[] Rest)
{
    public const string Backup = "backup";
    public const string Restore = "restore";

    /// <summary>The arguments read, or the reason they cannot be (usage included).</summary>
    public static (StartArgs? Args, string? Error) Parse(string[] args)
    {
        string? command = args.Length > 0 && args[0] is Backup or Restore ? args[0] : null;
        bool demo = false, migrateOnly = false, force = false;
        string? to = null, from = null;
        var rest = new List<string>();
        for (var i = command is null ? 0 : 1; i < args.Length; i++)
        {
            var arg = args[i];
            switch (arg)
            {
                case "--demo" when command is null:
                    demo = true;
                    break;
                case "--migrate-only" when command is null:
                    migrateOnly = true;
                    break;
                case "--to" when command == Backup:
                case "--from" when command == Restore:
                    if (i + 1 >= args.Length)
                    {
                        return (null, $"{arg} needs a file name.\n{Usage}");
                    }
                    if (arg == "--to")
                    {
                        to = args[++i];
                    }
                    else
                    {
                        from = args[++i];
                    }
                    break;
                case "--force" when command == Restore:
                    force = true;
                    break;
                default:
                    rest.Add(arg);
                    break;
            }
        }
        if (command == Backup && string.IsNullOrWhiteSpace(to))
        {
            return (null, $"backup needs --to FILE.\n{Usage}");
        }
        if (command == Restore && string.IsNullOrWhiteSpace(from))
        {
            return (null, $"restore needs --from FILE.\n{Usage}");
        }
        return (new StartArgs(demo, migrateOnly, command, to, from, force, [.. rest]), null);
    }

    public const string Usage = """
        Usage:
          Atende.Web [--demo] [--migrate-only] [configuration…]
          Atende.Web backup --to FILE.tar.gz [configuration…]
          Atende.Web restore --from FILE.tar.gz [--force] [configuration…]
        See docs/operations.md.
        """;
}
