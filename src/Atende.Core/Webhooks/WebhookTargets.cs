using System.Net;
using System.Net.Sockets;

namespace Atende.Core.Webhooks;

/// <summary>
/// Which URLs a webhook may be sent to. Unless private targets are allowed (a setting for installations whose receivers
/// sit on the same network), a URL naming a loopback, private, link-local (cloud metadata) or reserved address is refused,
/// in whatever notation .NET would accept it. Names are checked again when connecting (<see cref="WebhookHttp"/>), where
/// what they resolve to is known.
/// </summary>
public static class WebhookTargets
{
    public const int MaxLength = 2000;

    /// <summary>What is wrong with <paramref name="url"/> as a webhook target (pt-BR), or null when it may be used.</summary>
    public static string? Problem(string? url, bool allowPrivate)
    {
        if (string.IsNullOrWhiteSpace(url))
        {
            return "Informe a URL do webhook.";
        }
        if (url.Length > MaxLength)
        {
            return "A URL do webhook deve ter no máximo 2.000 caracteres.";
        }
        // On Unix "/hooks" parses as an absolute file: URI; a webhook URL must name its scheme.
        if (!Uri.TryCreate(url.Trim(), UriKind.Absolute, out var uri) || uri.IsFile || uri.IsUnc)
        {
            return "A URL do webhook deve ser um endereço completo, como https://exemplo.com.br/webhooks.";
        }
        if (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp)
        {
            return $"A URL do webhook deve começar com https:// ou http:// (não {uri.Scheme}:).";
        }
        if (uri.UserInfo.Length > 0 || url.Contains('@', StringComparison.Ordinal) && url.IndexOf('@', StringComparison.Ordinal) < AuthorityEnd(url))
        {
            return "A URL do webhook não pode conter usuário ou senha; o receptor confere a assinatura do webhook.";
        }
        if (uri.IdnHost.Length == 0)
        {
            return "A URL do webhook não tem o nome do servidor.";
        }
        if (!allowPrivate && PrivateHost(uri) is { } address)
        {
            return $"A URL do webhook aponta para um endereço interno ({address}). Webhooks só podem ir para endereços públicos.";
        }
        return null;
    }

    /// <summary>
    /// True for an address that is not on the public internet: loopback, private, carrier-grade NAT, link-local (cloud metadata
    /// at 169.254.169.254), "this network", multicast, reserved and broadcast; in IPv6 also unique-local, link- and site-local,
    /// multicast, and the IPv4-mapped, IPv4-compatible, NAT64 (64:ff9b::/96) and 6to4 forms of those IPv4 addresses.
    /// </summary>
    public static bool IsPrivate(IPAddress a)
    {
        ArgumentNullException.ThrowIfNull(a);
        var b = a.GetAddressBytes();
        if (a.AddressFamily == AddressFamily.InterNetwork)
        {
            return b[0] == 0                                  // 0.0.0.0/8 "this network"
                || b[0] == 10                                 // 10/8
                || b[0] == 127                                // loopback
                || b[0] == 100 && (b[1] & 0xC0) == 64         // 100.64/10 carrier-grade NAT
                || b[0] == 169 && b[1] == 254                 // link-local, cloud metadata
                || b[0] == 172 && (b[1] & 0xF0) == 16         // 172.16/12
                || b[0] == 192 && b[1] == 168                 // 192.168/16
                || b[0] == 192 && b[1] == 0 && b[2] == 0      // 192.0.0/24 protocol assignments
                || b[0] == 198 && (b[1] & 0xFE) == 18         // 198.18/15 benchmarking
                || b[0] >= 224;                               // multicast 224/4, reserved 240/4, broadcast
        }
        if (a.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return true;
        }
        if (a.IsIPv4MappedToIPv6)
        {
            return IsPrivate(a.MapToIPv4());
        }
        if (b.AsSpan(0, 12).IndexOfAnyExcept((byte)0) < 0)
        {
            // ::, ::1 and the IPv4-compatible ::a.b.c.d
            return b[12] == 0 && b[13] == 0 && b[14] == 0 && b[15] <= 1 || IsPrivate(new IPAddress(b[12..]));
        }
        if (b[0] == 0x00 && b[1] == 0x64 && b[2] == 0xFF && b[3] == 0x9B)
        {
            // 64:ff9b::/96 NAT64 of an IPv4 address; 64:ff9b:1::/48 is for local NAT64 only.
            return b.AsSpan(4, 8).IndexOfAnyExcept((byte)0) < 0 ? IsPrivate(new IPAddress(b[12..])) : b[4] == 0 && b[5] == 1;
        }
        if (b[0] == 0x20 && b[1] == 0x02)
        {
            return IsPrivate(new IPAddress(b[2..6]));         // 6to4 2002:a.b.c.d::/48
        }
        return (b[0] & 0xFE) == 0xFC                          // fc00::/7 unique local
            || b[0] == 0xFE && (b[1] & 0xC0) >= 0x80          // fe80::/10 link-local, fec0::/10 site-local
            || b[0] == 0xFF;                                  // multicast
    }

    /// <summary>The private address or local name the URL's host stands for, or null.</summary>
    private static string? PrivateHost(Uri uri)
    {
        var host = uri.IdnHost.TrimEnd('.');
        if (host.Equals("localhost", StringComparison.OrdinalIgnoreCase) || host.EndsWith(".localhost", StringComparison.OrdinalIgnoreCase))
        {
            return host;
        }
        // Uri reads 2130706433, 0177.0.0.1, 0x7f.1 and 127.1 as IPv4 and gives the host as 127.0.0.1; a host it takes for
        // a name is parsed as an address too, as the connection would.
        var literal = host.StartsWith('[') && host.EndsWith(']') ? host[1..^1] : host;
        return IPAddress.TryParse(literal, out var address) && IsPrivate(address) ? address.ToString() : null;
    }

    /// <summary>Where the authority of an absolute URL ends (the first '/', '?' or '#' after "//").</summary>
    private static int AuthorityEnd(string url)
    {
        var start = url.IndexOf("//", StringComparison.Ordinal);
        if (start < 0)
        {
            return 0;
        }
        var end = url.IndexOfAny(['/', '?', '#'], start + 2);
        return end < 0 ? url.Length : end;
    }
}
