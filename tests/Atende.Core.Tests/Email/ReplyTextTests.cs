using Atende.Core.Email;
using MimeKit;
using Xunit;

namespace Atende.Core.Tests.Email;

/// <summary>What a customer wrote in a reply, without the e-mail they answered.</summary>
public class ReplyTextTests
{
    [Theory]
    [InlineData("Resolvido, obrigado.\n\nEm seg., 23 de nov. de 2026 às 14:30, Empresa <a@b.com> escreveu:\n> Olá\n> texto antigo")]
    [InlineData("Resolvido, obrigado.\n\nEm seg., 23 de nov. de 2026 às 14:30, Empresa <\na@b.com> escreveu:\n> Olá")]
    [InlineData("Resolvido, obrigado.\n\nOn Mon, Nov 23, 2026 at 2:30 PM Company <a@b.com> wrote:\n> Hello")]
    [InlineData("Resolvido, obrigado.\n\n-----Original Message-----\nFrom: Empresa\nSent: Monday\nSubject: [SUP-1]\ntexto antigo")]
    [InlineData("Resolvido, obrigado.\n\nDe: Empresa <a@b.com>\nEnviado: segunda-feira, 23 de novembro de 2026 14:30\nPara: Maria\nAssunto: [SUP-1] Impressora\n\ntexto antigo")]
    [InlineData("Resolvido, obrigado.\n\n> Olá\n> texto antigo\n>")]
    public void The_quoted_message_is_cut(string text) =>
        Assert.Equal("Resolvido, obrigado.", ReplyText.WithoutQuote(text));

    [Fact]
    public void Quotes_inside_the_reply_stay()
    {
        var text = "Sobre isto:\n> a impressora não liga\nJá troquei o cabo.\n\nAbraço";
        Assert.Equal(text, ReplyText.WithoutQuote(text));
    }

    [Fact]
    public void A_message_that_is_all_quote_is_kept_whole()
    {
        var text = "Em 23/11/2026 14:30, Empresa <a@b.com> escreveu:\n> Olá";
        Assert.Equal(text, ReplyText.WithoutQuote(text));
    }

    [Fact]
    public void Plain_text_is_escaped_and_keeps_its_lines()
    {
        var message = new MimeMessage { Body = new TextPart("plain") { Text = "Linha 1 <script>alert(1)</script>\nLinha 2 & fim" } };
        var html = ReplyText.Body(message);
        Assert.Contains("Linha 1 &lt;script&gt;alert(1)&lt;/script&gt;<br>Linha 2 &amp; fim", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script>", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Html_only_replies_lose_their_quote_blocks_and_anything_unsafe()
    {
        var message = new MimeMessage
        {
            Body = new TextPart("html")
            {
                Text = """<div>Pode encerrar.<img src=x onerror=alert(1)></div><div class="gmail_quote"><div class="gmail_attr">Em 23/11, Empresa escreveu:</div><blockquote>antigo</blockquote></div>""",
            },
        };
        var html = ReplyText.Body(message);
        Assert.Contains("Pode encerrar.", html, StringComparison.Ordinal);
        Assert.DoesNotContain("antigo", html, StringComparison.Ordinal);
        Assert.DoesNotContain("onerror", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<img", html, StringComparison.Ordinal);
    }
}
