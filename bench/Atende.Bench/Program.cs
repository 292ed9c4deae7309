using Atende.Bench;

// Atende.Bench: fills an empty database with realistic data for load tests (see bench/README.md).
//   dotnet run -c Release --project bench/Atende.Bench -- generate --provider Sqlite|Postgres --connection "<conn>" --partners 100000
if (args.Length == 0 || args[0] is "-h" or "--help" or "help")
{
    Console.WriteLine(GenerateOptions.Usage);
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
