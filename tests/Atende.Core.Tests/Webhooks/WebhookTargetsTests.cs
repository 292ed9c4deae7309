using System.Net;
using Atende.Core.Webhooks;
using Xunit;

namespace Atende.Core.Tests.Webhooks;

/// <summary>Which URLs a webhook may go to: no internal address in any notation, unless private targets are allowed.</summary>
public class WebhookTargetsTests
{
    public static TheoryData<string> InternalUrls =>
    [
        "http://127.0.0.1/hook",
        "http://127.0.0.1:8080/hook",
        "http://2130706433/",            // decimal
        "http://0177.0.0.1/",            // octal
        "http://0x7f.0.0.1/",            // hex
        "http://0x7f000001/",
        "http://127.1/",                 // short
        "http://127.0.0.1./",
        "http://127.000.000.001/",
        "http://１２７.０.０.１/",         // full-width digits, which IDN maps to 127.0.0.1
        "http://[::1]/",
        "http://[::ffff:127.0.0.1]/",    // IPv4-mapped
        "http://[::ffff:7f00:1]/",
        "http://[::127.0.0.1]/",         // IPv4-compatible
        "http://[64:ff9b::7f00:1]/",     // NAT64
        "http://[64:ff9b::a00:1]/",
        "http://[::]/",
        "http://0.0.0.0/",
        "http://0/",
        "http://10.1.2.3/",
        "http://172.16.0.1/",
        "http://172.31.255.255/",
        "http://192.168.0.10/",
        "http://169.254.169.254/latest/meta-data/",
        "http://[::ffff:169.254.169.254]/",
        "http://100.64.0.1/",
        "http://224.0.0.1/",
        "http://240.0.0.1/",
        "http://255.255.255.255/",
        "http://[fd00::1]/",
        "http://[fc00::1]/",
        "http://[fe80::1]/",
        "http://[fe80::1%25eth0]/",
        "http://[ff02::1]/",
        "http://localhost/",
        "http://LOCALHOST:5000/",
        "http://localhost./",
        "http://api.localhost/",
        "https://webhooks.app.localhost/",
    ];

    [Theory]
    [MemberData(nameof(InternalUrls))]
    public void An_internal_address_is_refused_unless_private_targets_are_allowed(string url)
    {
        var problem = WebhookTargets.Problem(url, allowPrivate: false);
        Assert.NotNull(problem);
        Assert.Contains("endereço interno", problem, StringComparison.Ordinal);
        Assert.Null(WebhookTargets.Problem(url, allowPrivate: true));
    }

    [Theory]
    [InlineData("https://example.com/webhooks")]
    [InlineData("https://hooks.example.com.br:8443/atende?token=abc")]
    [InlineData("http://93.184.216.34/hook")]
    [InlineData("http://[2606:2800:220:1:248:1893:25c8:1946]/hook")]
    [InlineData("http://172.32.0.1/")]
    [InlineData("http://100.128.0.1/")]
    [InlineData("http://192.169.0.1/")]
    [InlineData("https://localhost.example.com/")]
    [InlineData("https://example.com/hook?email=contato@example.com")]
    public void A_public_address_or_name_is_accepted(string url)
    {
        Assert.Null(WebhookTargets.Problem(url, allowPrivate: false));
        Assert.Null(WebhookTargets.Problem(url, allowPrivate: true));
    }

    [Theory]
    [InlineData(null, "Informe a URL")]
    [InlineData("  ", "Informe a URL")]
    [InlineData("ftp://example.com/hook", "https:// ou http://")]
    [InlineData("file:///etc/passwd", "endereço completo")]
    [InlineData("javascript:alert(1)", "https:// ou http://")]
    [InlineData("/webhooks", "endereço completo")]
    [InlineData("example.com/webhooks", "endereço completo")]
    [InlineData("https://user:senha@example.com/hook", "usuário ou senha")]
    [InlineData("https://token@example.com/hook", "usuário ou senha")]
    public void A_url_that_is_no_webhook_target_is_refused_with_a_reason(string? url, string reason)
    {
        Assert.Contains(reason, WebhookTargets.Problem(url, allowPrivate: false), StringComparison.Ordinal);
        Assert.Contains(reason, WebhookTargets.Problem(url, allowPrivate: true), StringComparison.Ordinal);
    }

    [Fact]
    public void A_url_over_2000_characters_is_refused()
    {
        var prefix = "https://example.com/";
        var longest = prefix + new string('a', 2000 - prefix.Length);
        Assert.Null(WebhookTargets.Problem(longest, allowPrivate: false));
        Assert.Equal("A URL do webhook deve ter no máximo 2.000 caracteres.", WebhookTargets.Problem(longest + "a", allowPrivate: false));
    }

    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("127.255.255.254")]
    [InlineData("10.0.0.1")]
    [InlineData("172.16.0.1")]
    [InlineData("192.168.1.1")]
    [InlineData("169.254.169.254")]
    [InlineData("100.64.0.1")]
    [InlineData("100.127.255.255")]
    [InlineData("0.0.0.0")]
    [InlineData("224.0.0.251")]
    [InlineData("239.255.255.250")]
    [InlineData("240.0.0.1")]
    [InlineData("255.255.255.255")]
    [InlineData("::1")]
    [InlineData("::")]
    [InlineData("fc00::1")]
    [InlineData("fdff:ffff::1")]
    [InlineData("fe80::1")]
    [InlineData("febf::1")]
    [InlineData("ff02::1")]
    [InlineData("::ffff:10.0.0.1")]
    [InlineData("::ffff:169.254.169.254")]
    [InlineData("::10.0.0.1")]
    [InlineData("64:ff9b::192.168.1.1")]
    [InlineData("64:ff9b::127.0.0.1")]
    [InlineData("2002:7f00:1::")]
    public void Private_and_reserved_addresses(string address) =>
        Assert.True(WebhookTargets.IsPrivate(IPAddress.Parse(address)));

    [Theory]
    [InlineData("93.184.216.34")]
    [InlineData("8.8.8.8")]
    [InlineData("1.1.1.1")]
    [InlineData("172.15.255.255")]
    [InlineData("172.32.0.0")]
    [InlineData("100.63.255.255")]
    [InlineData("100.128.0.0")]
    [InlineData("169.253.0.1")]
    [InlineData("192.167.1.1")]
    [InlineData("223.255.255.255")]
    [InlineData("2606:4700:4700::1111")]
    [InlineData("2001:4860:4860::8888")]
    [InlineData("::ffff:8.8.8.8")]
    [InlineData("64:ff9b::8.8.8.8")]
    [InlineData("2002:808:808::")]
    public void Public_addresses(string address) =>
        Assert.False(WebhookTargets.IsPrivate(IPAddress.Parse(address)));
}
