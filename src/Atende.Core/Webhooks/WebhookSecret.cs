using System.Security.Cryptography;

namespace Atende.Core.Webhooks;

/// <summary>
/// A webhook endpoint's signing secret as Standard Webhooks writes it: "whsec_" followed by the base64 of the key.
/// </summary>
public static class WebhookSecret
{
    public const string Prefix = "whsec_";

    /// <summary>A new secret: "whsec_" + base64 of 32 random bytes.</summary>
    public static string New() => Prefix + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    /// <summary>The key bytes of a secret ("whsec_" is optional). Throws <see cref="ArgumentException"/> on anything else.</summary>
    public static byte[] KeyOf(string secret)
    {
        if (string.IsNullOrWhiteSpace(secret))
        {
            throw new ArgumentException("O segredo do webhook está vazio.", nameof(secret));
        }
        var encoded = secret.StartsWith(Prefix, StringComparison.Ordinal) ? secret[Prefix.Length..] : secret;
        var key = new byte[encoded.Length];
        // Standard Webhooks: keys of 24 to 64 bytes.
        if (!Convert.TryFromBase64String(encoded, key, out var length) || length < 24 || length > 64)
        {
            throw new ArgumentException(
                "O segredo do webhook não é válido: esperado \"whsec_\" seguido da chave em base64 (24 a 64 bytes).", nameof(secret));
        }
        return key[..length];
    }
}
