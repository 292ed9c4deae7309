using Atende.Core.Partners;
using Xunit;

namespace Atende.Core.Tests.Partners;

public class StateRegistrationRulesTests
{
    [Theory]
    [InlineData("110.042.490.114", "110.042.490.114")]
    [InlineData(" 0623079040081 ", "0623079040081")]
    [InlineData("P-01100424.3/002", "P-01100424.3/002")]
    [InlineData("isento", "ISENTO")]
    [InlineData("Isento", "ISENTO")]
    [InlineData(" ISENTO ", "ISENTO")]
    [InlineData("", "")]
    [InlineData(null, "")]
    public void Accepted_as_typed_or_as_ISENTO(string? typed, string stored) =>
        Assert.Equal((stored, (string?)null), StateRegistrationRules.Parse(typed));

    [Theory]
    [InlineData("110 042 490")]
    [InlineData("110,042")]
    [InlineData("isenta")]
    [InlineData("12#34")]
    [InlineData("---")]
    public void Other_characters_are_refused(string typed) =>
        Assert.Equal(StateRegistrationRules.InvalidError, StateRegistrationRules.Parse(typed).Error);

    [Fact]
    public void At_most_20_characters()
    {
        Assert.Null(StateRegistrationRules.Parse(new string('1', 20)).Error);
        Assert.Equal("Inscrição estadual pode ter no máximo 20 caracteres.", StateRegistrationRules.Parse(new string('1', 21)).Error);
    }
}
