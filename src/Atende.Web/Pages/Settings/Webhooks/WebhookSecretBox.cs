using Microsoft.AspNetCore.Mvc.ViewFeatures;

namespace Atende.Web.Pages.Settings.Webhooks;

/// <summary>
/// Carries a new signing secret from the save (create, "Gerar novo segredo") to the endpoint's page across the redirect, in
/// TempData: it is read once, so reloading the page no longer shows it.
/// </summary>
public static class WebhookSecretBox
{
    private const string SecretKey = "WebhookSecret";
    private const string EndpointKey = "WebhookSecretFor";

    public static void Keep(ITempDataDictionary tempData, long endpointId, string secret)
    {
        tempData[SecretKey] = secret;
        tempData[EndpointKey] = endpointId.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>The secret kept for <paramref name="endpointId"/>, or null; either way it is gone afterwards.</summary>
    public static string? Take(ITempDataDictionary tempData, long endpointId)
    {
        var secret = tempData[SecretKey] as string;
        var forEndpoint = tempData[EndpointKey] as string;
        return secret is not null && forEndpoint == endpointId.ToString(System.Globalization.CultureInfo.InvariantCulture) ? secret : null;
    }
}
