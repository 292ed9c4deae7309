using Atende.Bench;

// Atende.Bench: fills an empty database with realistic data for load tests (see bench/README.md).
//   dotnet run -c Release --project bench/Atende.Bench -- generate --provider Sqlite|Postgres --connection "<conn>" --partners 100000
if (args.Length == 0 || args[0] is "-h" or "--help" or "help")
{
    Console.WriteLine(GenerateOptions.Usage);
    return 0;
}

// quotes --provider Sqlite|Postgres --connection "<conn>" --count 200000: adds quotes to a database with tickets.
if (args[0] == "quotes")
{
    string Arg(string name) => args.SkipWhile(a => a != name).Skip(1).FirstOrDefault() ?? throw new ArgumentException($"{name} is required");
    await QuoteGenerator.Run(Enum.Parse<BenchProvider>(Arg("--provider")), Arg("--connection"), int.Parse(Arg("--count"), System.Globalization.CultureInfo.InvariantCulture));
    return 0;
}

if (args[0] != "generate")
{
    Console.Error.WriteLine($"Unknown command '{args[0]}'.");
    Console.Error.WriteLine(GenerateOptions.Usage);
    return 2;
}

GenerateOptions options;
try
{
    options = GenerateOptions.Parse(args.AsSpan(1));
}
catch (ArgumentException e)
{
    Console.Error.WriteLine(e.Message);
    Console.Error.WriteLine(GenerateOptions.Usage);
    return 2;
}

try
{
    await Generator.Run(options);
    return 0;
}
catch (InvalidOperationException e)
{
    Console.Error.WriteLine("error: " + e.Message);
    return 1;
}
