using Atende.Core.Common;
using Xunit;

namespace Atende.Core.Tests.Common;

public class PostalAddressTests
{
    private const string InvalidCep = "CEP inválido: use 8 dígitos, como 01310-100.";

    [Theory]
    [InlineData("01310100", "01310-100")]
    [InlineData("01310-100", "01310-100")]
    [InlineData(" 01310-100 ", "01310-100")]
    [InlineData("01.310-100", "01310-100")]
    [InlineData("01310 100", "01310-100")]
    public void A_CEP_of_8_digits_is_stored_formatted(string typed, string stored) =>
        Assert.Equal((stored, (string?)null), PostalAddress.ParsePostalCode(typed));

    [Theory]
    [InlineData("0131010")]
    [InlineData("013101000")]
    [InlineData("01310-10a")]
    [InlineData("CEP 01310100")]
    [InlineData("０１３１０１００")] // full-width digits are not ASCII digits
    public void A_CEP_that_is_not_8_digits_is_refused_with_an_example(string typed)
    {
        var (_, error) = PostalAddress.ParsePostalCode(typed);
        Assert.Equal(InvalidCep, error);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    public void No_CEP_is_fine(string? typed) => Assert.Equal(("", (string?)null), PostalAddress.ParsePostalCode(typed));

    [Fact]
    public void The_27_UFs_are_accepted_in_any_case_and_nothing_else()
    {
        Assert.Equal(27, PostalAddress.States.Count);
        Assert.Equal(27, PostalAddress.States.Distinct().Count());
        foreach (var uf in PostalAddress.States)
        {
            Assert.Equal((uf, (string?)null), PostalAddress.ParseState(uf.ToLowerInvariant()));
        }
        Assert.Equal(("SP", (string?)null), PostalAddress.ParseState(" sp "));
        Assert.Equal(("", (string?)null), PostalAddress.ParseState(""));
        foreach (var bad in new[] { "XX", "São Paulo", "S", "BR", "GB" })
        {
            Assert.StartsWith("UF inválida", PostalAddress.ParseState(bad).Error, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Validate_names_each_invalid_field_under_its_prefix()
    {
        var v = new Validation();
        PostalAddress.Validate(new AddressInput
        {
            PostalCode = "123", State = "ZZ", Street = new string('a', 61), Number = new string('1', 61), Complement = new string('c', 61),
            District = new string('b', 61), City = new string('d', 61),
        }, v, "address");
        var errors = Assert.Throws<ValidationException>(v.ThrowIfAny).Errors;
        Assert.Equal(InvalidCep, Assert.Single(errors["address.postalCode"]));
        Assert.StartsWith("UF inválida", Assert.Single(errors["address.state"]), StringComparison.Ordinal);
        Assert.Equal("Logradouro pode ter no máximo 60 caracteres.", Assert.Single(errors["address.street"]));
        Assert.Equal("Número pode ter no máximo 60 caracteres.", Assert.Single(errors["address.number"]));
        Assert.Equal("Complemento pode ter no máximo 60 caracteres.", Assert.Single(errors["address.complement"]));
        Assert.Equal("Bairro pode ter no máximo 60 caracteres.", Assert.Single(errors["address.district"]));
        Assert.Equal("Cidade pode ter no máximo 60 caracteres.", Assert.Single(errors["address.city"]));
    }

    [Fact]
    public void Validate_cleans_the_fields_and_an_empty_or_missing_address_is_no_address()
    {
        var v = new Validation();
        var address = PostalAddress.Validate(new AddressInput
        {
            PostalCode = "01310100", Street = "  Av.  Paulista ", Number = "1000", Complement = "", District = "Bela Vista", City = "São Paulo", State = "sp",
        }, v);
        Assert.False(v.HasErrors);
        Assert.Equal(new PostalAddress
        {
            PostalCode = "01310-100", Street = "Av. Paulista", Number = "1000", District = "Bela Vista", City = "São Paulo", State = "SP",
        }, address);
        Assert.False(address.IsEmpty);

        Assert.True(PostalAddress.Validate(new AddressInput { Street = "  ", State = "" }, v).IsEmpty);
        Assert.True(PostalAddress.Validate(null, v).IsEmpty);
        Assert.False(v.HasErrors);
    }

    [Fact]
    public void A_partial_address_is_accepted_and_says_what_a_complete_one_lacks()
    {
        var v = new Validation();
        var address = PostalAddress.Validate(new AddressInput { City = "Recife", Complement = "Sala 3" }, v);
        Assert.False(v.HasErrors);
        Assert.Equal(["CEP", "Logradouro", "Número", "Bairro", "UF"], address.MissingForComplete());
        Assert.Equal(["CEP", "Logradouro", "Número", "Bairro", "Cidade", "UF"], PostalAddress.Empty.MissingForComplete());

        var complete = address with { PostalCode = "50030-230", Street = "Rua do Bom Jesus", Number = "s/n", District = "Recife Antigo", State = "PE" };
        Assert.Empty(complete.MissingForComplete());
    }

    [Fact]
    public void Lines_show_the_address_in_two_lines_leaving_out_what_is_empty()
    {
        var address = new PostalAddress
        {
            PostalCode = "01310-100", Street = "Av. Paulista", Number = "1000", Complement = "Conj. 12", District = "Bela Vista", City = "São Paulo", State = "SP",
        };
        Assert.Equal(["Av. Paulista, 1000 - Conj. 12 - Bela Vista", "São Paulo - SP, CEP 01310-100"], address.Lines());
        Assert.Equal(["Curitiba - PR"], new PostalAddress { City = "Curitiba", State = "PR" }.Lines());
        Assert.Empty(PostalAddress.Empty.Lines());
        Assert.Equal("", PostalAddress.Empty.ToString());
    }
}
