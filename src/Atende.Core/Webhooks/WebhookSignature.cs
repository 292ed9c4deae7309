using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Atende.Core.Webhooks;

/// <summary>Standard Webhooks v1 signatures: HMAC-SHA256 over "{id}.{unix seconds}.{body}".</summary>
public static class WebhookSignature
{
    /// <summary>
    /// The <c>webhook-signature</c> header value: "v1,&lt;base64&gt;" per secret, separated by spaces (during a rotation
    /// the old and the new secret both sign, so the receiver accepts the message with either).
    /// </summary>
    public static string Sign(string webhookId, DateTimeOffset timestamp, string body, IEnumerable<string> secrets)
    {
        ArgumentException.ThrowIfNullOrEmpty(webhookId);
        ArgumentNullException.ThrowIfNull(body);
        ArgumentNullException.ThrowIfNull(secrets);
        var content = Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{webhookId}.{timestamp.ToUnixTimeSeconds()}.{body}"));
        var signatures = secrets.Select(s => "v1," + Convert.ToBase64String(HMACSHA256.HashData(WebhookSecret.KeyOf(s), content))).ToList();
        if (signatures.Count == 0)
        {
            throw new ArgumentException("Nenhum segredo para assinar o webhook.", nameof(secrets));
        }
        return string.Join(' ', signatures);
    }
}
