using Atende.Core.Data;
using Xunit;

namespace Atende.Core.Tests.Data;

public class SearchTextTests
{
    [Theory]
    [InlineData("  João  da SILVA ", "joao da silva")]
    [InlineData("Açúcar", "acucar")]
    [InlineData("AÇÃO", "acao")]
    [InlineData("São Paulo - SP", "sao paulo - sp")]
    [InlineData("Crème Brûlée", "creme brulee")]
    [InlineData("Ñandú", "nandu")]
    [InlineData("Straße", "strasse")]
    [InlineData("ẞ", "ss")]
    [InlineData("Æther", "aether")]
    [InlineData("Œuvre", "oeuvre")]
    [InlineData("Øresund", "oresund")]
    [InlineData("Đorđe", "dorde")]
    [InlineData("Łódź", "lodz")]
    [InlineData("İstanbul", "istanbul")]
    [InlineData("Jo\u0061\u0303o", "joao")]
    [InlineData("tab\tand\r\nnewline", "tab and newline")]
    [InlineData("non\u00a0breaking\u2003space", "non breaking space")]
    [InlineData("a\u0000b", "ab")]
    [InlineData("ACME Ltda.", "acme ltda.")]
    [InlineData("  ", "")]
    [InlineData("", "")]
    [InlineData(null, "")]
    public void Normalize_FoldsCaseAccentsAndWhitespace(string? text, string expected)
    {
        Assert.Equal(expected, SearchText.Normalize(text));
    }

    [Fact]
    public void Normalize_KeepsNonLatinScripts()
    {
        Assert.Equal("東京 москва", SearchText.Normalize(" 東京  МОСКВА "));
        Assert.Equal("한국", SearchText.Normalize("한국"));
    }

    [Fact]
    public void Normalize_DoesNotThrowOnLoneSurrogates()
    {
        Assert.Equal("a\ufffdb", SearchText.Normalize("A\ud800B"));
    }

    [Theory]
    [InlineData("  João  da SILVA ")]
    [InlineData("Straße Ação")]
    [InlineData("Crème Brûlée")]
    public void Normalize_IsIdempotent(string text)
    {
        var once = SearchText.Normalize(text);
        Assert.Equal(once, SearchText.Normalize(once));
    }

    [Fact]
    public void Build_JoinsNormalizedNonEmptyParts()
    {
        Assert.Equal("joao da silva | acme ltda. | 529.982.247-25",
            SearchText.Build("João da Silva", null, "", "   ", "ACME Ltda.", "529.982.247-25"));
    }

    [Fact]
    public void Build_AcceptsAnyEnumerable()
    {
        IEnumerable<string?> parts = new List<string?> { "Açúcar", null, "Café" };
        Assert.Equal("acucar | cafe", SearchText.Build(parts));
    }

    [Fact]
    public void Build_NothingGivesEmpty()
    {
        Assert.Equal("", SearchText.Build());
        Assert.Equal("", SearchText.Build(null, " ", ""));
        Assert.Equal("", SearchText.Build((IEnumerable<string?>)null!));
    }

    [Theory]
    [InlineData("  Maria \t da  Silva\n ", "Maria da Silva")]
    [InlineData("Açúcar  Mascavo", "Açúcar Mascavo")]
    [InlineData("Jos\u0065\u0301", "Jos\u00e9")]
    [InlineData("a\u0000b\u0007c", "abc")]
    [InlineData("a\u00a0\u00a0b", "a b")]
    [InlineData("ACME", "ACME")]
    [InlineData("   ", "")]
    [InlineData("", "")]
    [InlineData(null, "")]
    public void Clean_TrimsComposesAndCollapses(string? text, string expected)
    {
        Assert.Equal(expected, SearchText.Clean(text));
    }

    [Fact]
    public void Clean_ReturnsNfc()
    {
        var decomposed = "Conceic\u0327a\u0303o";
        var cleaned = SearchText.Clean(decomposed);

        Assert.Equal("Conceição", cleaned);
        Assert.True(cleaned.IsNormalized(System.Text.NormalizationForm.FormC));
        Assert.Equal(9, cleaned.Length);
    }

    [Fact]
    public void Clean_DoesNotThrowOnLoneSurrogates()
    {
        Assert.Equal("a\ufffd b", SearchText.Clean(" a\udc00  b "));
    }
}
