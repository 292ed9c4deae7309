#:sdk Microsoft.NET.Sdk.Web
// Protects a webhook signing secret with the app's Data Protection key ring (<DataPath>/keys, application "Atende"),
// as WebhookService stores it: dotnet run protect-secret.cs -- <DataPath>/keys whsec_...
using Microsoft.AspNetCore.DataProtection;

var provider = DataProtectionProvider.Create(new DirectoryInfo(args[0]), b => b.SetApplicationName("Atende"));
Console.WriteLine(provider.CreateProtector("Atende.Webhooks.Secret").Protect(args[1]));
