using Atende.Core.Webhooks;
using Microsoft.AspNetCore.Http;
using StandardWebhooks;
using StandardWebhooks.Diagnostics;
using Xunit;

namespace Atende.Core.Tests.Webhooks;

/// <summary>Signatures a receiver can check with the Standard Webhooks library (an implementation nobody here wrote).</summary>
public class WebhookSignatureTests
{
    private const string Body = """{"type":"ticket.created","data":{"id":42,"title":"Impressora não liga"}}""";

    private static HeaderDictionary Headers(string id, DateTimeOffset timestamp, string signature) => new()
    {
        ["webhook-id"] = id,
        ["webhook-timestamp"] = timestamp.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["webhook-signature"] = signature,
    };

    [Fact]
    public void A_new_secret_is_whsec_and_32_random_bytes()
    {
        var secret = WebhookSecret.New();
        Assert.StartsWith("whsec_", secret, StringComparison.Ordinal);
        Assert.Equal(32, WebhookSecret.KeyOf(secret).Length);
        Assert.NotEqual(secret, WebhookSecret.New());
    }

    [Theory]
    [InlineData("")]
    [InlineData("whsec_")]
    [InlineData("whsec_não é base64!")]
    [InlineData("whsec_c2hvcnQ=")]
    public void A_bad_secret_is_refused(string secret) =>
        Assert.Throws<ArgumentException>(() => WebhookSecret.KeyOf(secret));

    [Fact]
    public void The_library_verifies_a_message_signed_with_one_secret()
    {
        var secret = WebhookSecret.New();
        var now = DateTimeOffset.UtcNow;
        var signature = WebhookSignature.Sign("msg_1", now, Body, [secret]);

        Assert.Matches("^v1,[A-Za-z0-9+/]{43}=$", signature);
        new StandardWebhook(secret).Verify(Body, Headers("msg_1", now, signature));
    }

    [Fact]
    public void A_tampered_body_id_or_timestamp_is_refused()
    {
        var secret = WebhookSecret.New();
        var now = DateTimeOffset.UtcNow;
        var signature = WebhookSignature.Sign("msg_1", now, Body, [secret]);
        var verifier = new StandardWebhook(secret);

        Assert.Throws<WebhookVerificationException>(() => verifier.Verify(Body.Replace("42", "43", StringComparison.Ordinal), Headers("msg_1", now, signature)));
        Assert.Throws<WebhookVerificationException>(() => verifier.Verify(Body, Headers("msg_2", now, signature)));
        Assert.Throws<WebhookVerificationException>(() => verifier.Verify(Body, Headers("msg_1", now.AddSeconds(1), signature)));
        Assert.Throws<WebhookVerificationException>(() => new StandardWebhook(WebhookSecret.New()).Verify(Body, Headers("msg_1", now, signature)));
    }

    [Fact]
    public void During_a_rotation_either_secret_verifies()
    {
        var old = WebhookSecret.New();
        var current = WebhookSecret.New();
        var now = DateTimeOffset.UtcNow;
        var signature = WebhookSignature.Sign("msg_1", now, Body, [old, current]);

        var signatures = signature.Split(' ');
        Assert.Equal(2, signatures.Length);
        // StandardWebhooks 1.1.2 reads only the first signature of a header that carries several (its loop ends before the
        // last one), so the whole header is verified with the first secret and each signature with its own.
        new StandardWebhook(old).Verify(Body, Headers("msg_1", now, signature));
        new StandardWebhook(old).Verify(Body, Headers("msg_1", now, signatures[0]));
        new StandardWebhook(current).Verify(Body, Headers("msg_1", now, signatures[1]));
        Assert.Throws<WebhookVerificationException>(() => new StandardWebhook(current).Verify(Body, Headers("msg_1", now, signatures[0])));
        Assert.Throws<WebhookVerificationException>(() => new StandardWebhook(WebhookSecret.New()).Verify(Body, Headers("msg_1", now, signature)));
    }

    [Fact]
    public void The_signature_is_the_hmac_of_id_timestamp_and_body()
    {
        // The example of the Standard Webhooks specification.
        var signature = WebhookSignature.Sign("msg_p5jXN8AQM9LWM0D4loKWxJek", DateTimeOffset.FromUnixTimeSeconds(1614265330),
            """{"test": 2432232314}""", ["whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"]);
        Assert.Equal("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=", signature);
    }
}
