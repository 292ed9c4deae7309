using Atende.Core.Email;
using Xunit;

namespace Atende.Core.Tests.Email;

public class EmailTemplatePlaceholderTests
{
    private static readonly TemplateValues Values = new("Ana <Lima>", "Bar & Cia", "SUP-7", "Título \"x\"", "Aberto", "", "https://a.test/tickets/7",
        "Empresa", "Bruno", "<p>texto</p>");

    [Theory]
    [InlineData("{{contato.nome}}")]
    [InlineData("{{ contato.nome }}")]
    [InlineData("{{Contato.Nome}}")]
    [InlineData("<p>{{link}} {{empresa.nome}}</p>")]
    public void Known_placeholders_written_loosely_are_accepted(string text) =>
        Assert.Empty(Placeholders.Problems(text, EmailTemplatePurpose.Custom, isBody: true));

    [Theory]
    [InlineData("{{}}", "Marcador desconhecido: {{}}.")]
    [InlineData("{{<b>foo</b>}}", "Marcador desconhecido: {{foo}}.")]
    [InlineData("Olá {{contato.nome", "Marcador malformado: \"{{contato.nome\".")]
    [InlineData("<p>nome}}</p>", "Marcador malformado: \"nome}}\".")]
    [InlineData("{{interacao}}", "O marcador {{interacao}} só pode ser usado")]
    public void Unknown_misplaced_or_malformed_placeholders_are_named(string text, string expected) =>
        Assert.Contains(Placeholders.Problems(text, EmailTemplatePurpose.StatusChanged, isBody: true), p => p.StartsWith(expected, StringComparison.Ordinal));

    [Fact]
    public void More_than_a_hundred_placeholders_in_a_field_are_refused() =>
        Assert.Contains("Use no máximo 100 marcadores.", Placeholders.Problems(string.Concat(Enumerable.Repeat("{{link}}", 101)), EmailTemplatePurpose.Custom, isBody: true));

    [Fact]
    public void Values_are_escaped_in_the_body_only_the_interaction_goes_in_as_html_and_the_text_keeps_link_addresses()
    {
        var email = Placeholders.Render("{{atendimento.titulo}}", "<p>{{contato.nome}} / {{parceiro.nome}}</p>{{interacao}}<p><a href=\"{{link}}\">abrir</a></p>", Values);
        Assert.Equal("[SUP-7] Título \"x\"", email.Subject);
        Assert.StartsWith("<p>Ana &lt;Lima&gt; / Bar &amp; Cia</p><p>texto</p><p><a href=\"https://a.test/tickets/7\"", email.Html, StringComparison.Ordinal);
        Assert.Equal("Ana <Lima> / Bar & Cia\n\ntexto\n\nabrir (https://a.test/tickets/7)", email.Text);
    }

    [Theory]
    [InlineData("Sobre [{{atendimento.referencia}}]", "Sobre [SUP-7]")]
    [InlineData("re: [sup-7] ok", "re: [sup-7] ok")]
    [InlineData("{{atendimento.referencia}} sem colchetes", "[SUP-7] SUP-7 sem colchetes")]
    [InlineData("{{atendimento.responsavel}}", "[SUP-7]")]
    [InlineData("linha\num", "[SUP-7] linha um")]
    public void The_subject_starts_with_the_bracketed_reference_unless_it_holds_it(string subject, string expected) =>
        Assert.Equal(expected, Placeholders.Render(subject, "<p>x</p>", Values).Subject);

    [Fact]
    public void A_long_subject_is_cut_to_the_outbox_length()
    {
        var subject = Placeholders.Render(new string('a', 190) + string.Concat(Enumerable.Repeat("{{parceiro.nome}}", 100)), "x", Values with { PartnerName = new string('p', 200) }).Subject;
        Assert.Equal(EmailOutbox.MaxSubjectLength, subject.Length);
        Assert.StartsWith("[SUP-7] aaa", subject, StringComparison.Ordinal);
        Assert.EndsWith("…", subject, StringComparison.Ordinal);
    }

    [Fact]
    public void A_value_cannot_become_a_script_link()
    {
        var email = Placeholders.Render("s", "<p><a href=\"{{atendimento.titulo}}\">x</a></p>", Values with { Title = "javascript:alert(1)" });
        Assert.DoesNotContain("javascript:", email.Html, StringComparison.Ordinal);
    }

    [Fact]
    public void The_standard_texts_pass_their_own_checks()
    {
        foreach (var t in EmailTemplateDefaults.All)
        {
            Assert.Empty(Placeholders.Problems(t.Subject, t.Purpose, isBody: false));
            Assert.Empty(Placeholders.Problems(t.Body, t.Purpose, isBody: true));
            Assert.Equal(t.Body, Atende.Core.Common.RichText.Sanitize(t.Body));
        }
    }
}
