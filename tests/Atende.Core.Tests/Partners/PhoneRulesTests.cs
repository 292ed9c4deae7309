using Atende.Core.Partners;
using PhoneNumbers;
using Xunit;

namespace Atende.Core.Tests.Partners;

public class PhoneRulesTests
{
    [Theory]
    [InlineData("BR", "11", "98765-4321", "+5511987654321")]
    [InlineData("BR", "11", "987654321", "+5511987654321")]
    [InlineData("br", " 11 ", " 9 8765 4321 ", "+5511987654321")]
    [InlineData("BR", "(11)", "98765.4321", "+5511987654321")]
    [InlineData("BR", "011", "98765-4321", "+5511987654321")]
    [InlineData("BR", "", "(11) 98765-4321", "+5511987654321")]
    [InlineData("BR", null, "11987654321", "+5511987654321")]
    [InlineData("BR", "21", "99123-4567", "+5521991234567")]
    public void Normalize_BrazilianMobile_ReturnsE164(string? country, string? areaCode, string number, string expected)
    {
        Assert.Equal((expected, (string?)null), PhoneRules.Normalize(country, areaCode, number, PhoneType.Mobile));
    }

    [Theory]
    [InlineData("BR", "11", "3333-4444", "+551133334444")]
    [InlineData("BR", "61", "2345 6789", "+556123456789")]
    [InlineData("BR", "", "0800 123 4567", "+558001234567")]
    [InlineData("BR", "", "4004-1234", "+5540041234")]
    public void Normalize_BrazilianFixed_ReturnsE164(string country, string areaCode, string number, string expected)
    {
        Assert.Equal((expected, (string?)null), PhoneRules.Normalize(country, areaCode, number, PhoneType.Fixed));
    }

    [Fact]
    public void Normalize_BrazilianMobileMarkedFixed_IsRefused()
    {
        Assert.Equal(
            ((string?)null, "O número 98765-4321 é de celular; marque o tipo Móvel."),
            PhoneRules.Normalize("BR", "11", "98765-4321", PhoneType.Fixed));
    }

    [Fact]
    public void Normalize_BrazilianFixedMarkedMobile_IsRefused()
    {
        Assert.Equal(
            ((string?)null, "O número 3333-4444 é de telefone fixo; marque o tipo Fixo."),
            PhoneRules.Normalize("BR", "11", "3333-4444", PhoneType.Mobile));
    }

    [Fact]
    public void Normalize_BrazilianTollFreeMarkedMobile_IsRefused()
    {
        Assert.Equal(
            ((string?)null, "O número 0800 123 4567 não é de celular; marque o tipo Fixo."),
            PhoneRules.Normalize("BR", "", "0800 123 4567", PhoneType.Mobile));
    }

    [Theory]
    [InlineData("11", "1234", "Telefone inválido para o país BR: +55 (11) 1234.")]
    [InlineData("11", "98765-432", "Telefone inválido para o país BR: +55 (11) 98765432.")]
    [InlineData("11", "98765-43210", "Telefone inválido para o país BR: +55 (11) 9876543210.")]
    [InlineData("10", "98765-4321", "Telefone inválido para o país BR: +55 (10) 987654321.")]
    [InlineData("11", "81234-5678", "Telefone inválido para o país BR: +55 (11) 812345678.")]
    [InlineData("", "98765-4321", "Telefone inválido para o país BR: +55 987654321. Informe o DDD.")]
    [InlineData("", "00 1 415 555 0123", "Telefone inválido para o país BR: +55 0014155550123. Informe o DDD.")]
    public void Normalize_InvalidBrazilianNumber_NamesTheRule(string areaCode, string number, string error)
    {
        Assert.Equal(((string?)null, error), PhoneRules.Normalize("BR", areaCode, number, PhoneType.Mobile));
    }

    [Theory]
    [InlineData("XX", "País desconhecido: XX.")]
    [InlineData("xx", "País desconhecido: XX.")]
    [InlineData("BRA", "País desconhecido: BRA.")]
    [InlineData("B1", "País desconhecido: B1.")]
    [InlineData("", "Informe o país.")]
    [InlineData("  ", "Informe o país.")]
    [InlineData(null, "Informe o país.")]
    public void Normalize_UnknownOrMissingCountry_IsRefused(string? country, string error)
    {
        Assert.Equal(((string?)null, error), PhoneRules.Normalize(country, "11", "98765-4321", PhoneType.Mobile));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData(" - ( ) ")]
    public void Normalize_MissingNumber_IsRefused(string? number)
    {
        Assert.Equal(((string?)null, "Informe o número."), PhoneRules.Normalize("BR", "11", number, PhoneType.Mobile));
    }

    [Theory]
    [InlineData("11", "9876-ABCD")]
    [InlineData("11", "+55 11 98765-4321")]
    [InlineData("11", "98765-4321 ramal 2")]
    public void Normalize_NumberWithLetters_IsRefused(string areaCode, string number)
    {
        var (e164, error) = PhoneRules.Normalize("BR", areaCode, number, PhoneType.Mobile);

        Assert.Null(e164);
        Assert.StartsWith("O número deve conter apenas dígitos", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Normalize_AreaCodeWithLetters_IsRefused()
    {
        Assert.Equal(
            ((string?)null, "O DDD (código de área) deve conter apenas dígitos."),
            PhoneRules.Normalize("BR", "1A", "98765-4321", PhoneType.Mobile));
    }

    [Fact]
    public void Normalize_UndefinedPhoneType_IsRefused()
    {
        var (e164, error) = PhoneRules.Normalize("BR", "11", "98765-4321", (PhoneType)42);

        Assert.Null(e164);
        Assert.NotNull(error);
    }

    [Theory]
    [InlineData("US", "202", "555-0123", PhoneType.Fixed, "+12025550123")]
    [InlineData("US", "202", "555-0123", PhoneType.Mobile, "+12025550123")]
    [InlineData("us", "", "(202) 555-0123", PhoneType.Fixed, "+12025550123")]
    [InlineData("GB", "020", "7946 0958", PhoneType.Fixed, "+442079460958")]
    [InlineData("GB", "", "07400 123456", PhoneType.Mobile, "+447400123456")]
    [InlineData("PT", "", "912 345 678", PhoneType.Mobile, "+351912345678")]
    [InlineData("AR", "11", "1234-5678", PhoneType.Fixed, "+541112345678")]
    public void Normalize_OtherCountries_ValidatesWithoutTypeCheck(string country, string areaCode, string number, PhoneType type, string expected)
    {
        Assert.Equal((expected, (string?)null), PhoneRules.Normalize(country, areaCode, number, type));
    }

    [Theory]
    [InlineData("US", "202", "555-012", "Telefone inválido para o país US: +1 (202) 555012.")]
    [InlineData("US", "", "555-0123", "Telefone inválido para o país US: +1 5550123.")]
    [InlineData("PT", "", "12", "Telefone inválido para o país PT: +351 12.")]
    public void Normalize_InvalidNumberInOtherCountry_NamesTheRule(string country, string areaCode, string number, string error)
    {
        Assert.Equal(((string?)null, error), PhoneRules.Normalize(country, areaCode, number, PhoneType.Fixed));
    }

    [Theory]
    [InlineData("+5511987654321", "+55 (11) 98765-4321")]
    [InlineData("+551133334444", "+55 (11) 3333-4444")]
    [InlineData("+5561991234567", "+55 (61) 99123-4567")]
    [InlineData("+558001234567", "+55 800 123 4567")]
    [InlineData("+5540041234", "+55 4004-1234")]
    [InlineData("+12025550123", "+1 202-555-0123")]
    [InlineData("+442079460958", "+44 20 7946 0958")]
    [InlineData("+33612345678", "+33 6 12 34 56 78")]
    [InlineData("+351912345678", "+351 912 345 678")]
    [InlineData(" +5511987654321 ", "+55 (11) 98765-4321")]
    public void Display_FormatsForPeople(string e164, string expected)
    {
        Assert.Equal(expected, PhoneRules.Display(e164));
    }

    [Fact]
    public void Display_of_every_Brazilian_area_code_equals_libphonenumbers_own_formatting()
    {
        // The short path for Brazilian fixed lines and mobiles must give exactly what libphonenumber gives, valid or not.
        string[] locals = ["20000267", "33334444", "49998888", "51234567", "61234567", "70001234", "12345678", "987654321", "912345678", "812345678", "9876543210"];
        var shortPath = 0;
        for (var area = 10; area <= 99; area++)
        {
            foreach (var local in locals)
            {
                var e164 = $"+55{area}{local}";
                var display = PhoneRules.Display(e164);
                Assert.Equal(PhoneRules.DisplayByLibphonenumber(e164), display);
                shortPath += display == $"+55 ({area}) {local[..^4]}-{local[^4..]}" ? 1 : 0;
            }
        }
        Assert.True(shortPath > 67 * 4, $"only {shortPath} numbers formatted as (DDD)");
    }

    [Theory]
    [InlineData("+5511987654321", "(11) 98765-4321")]
    [InlineData("+551133334444", "(11) 3333-4444")]
    [InlineData("+12025550123", "+1 202-555-0123")]
    [InlineData("abc", "abc")]
    public void DisplayNational_WritesBrazilianNumbersWithoutTheCountryCode(string e164, string expected)
    {
        Assert.Equal(expected, PhoneRules.DisplayNational(e164));
    }

    [Theory]
    [InlineData("", "")]
    [InlineData("   ", "")]
    [InlineData(null, "")]
    [InlineData("abc", "abc")]
    [InlineData(" 11 98765-4321 ", "11 98765-4321")]
    public void Display_NonE164Text_IsReturnedTrimmed(string? text, string expected)
    {
        Assert.Equal(expected, PhoneRules.Display(text!));
    }

    [Theory]
    [InlineData("+5511987654321", "BR", "11", "987654321")]
    [InlineData("+551133334444", "BR", "11", "33334444")]
    [InlineData("+558001234567", "BR", "", "8001234567")]
    [InlineData("+12025550123", "US", "202", "5550123")]
    [InlineData("+14165550123", "CA", "416", "5550123")]
    [InlineData("+442079460958", "GB", "20", "79460958")]
    [InlineData("+447400123456", "GB", "", "7400123456")]
    [InlineData("+33612345678", "FR", "", "612345678")]
    public void Split_ReturnsFormFields(string e164, string country, string areaCode, string number)
    {
        Assert.Equal((country, areaCode, number), PhoneRules.Split(e164));
    }

    [Theory]
    [InlineData(null, "", "", "")]
    [InlineData("", "", "", "")]
    [InlineData("abc", "", "", "abc")]
    [InlineData("11987654321", "", "", "11987654321")]
    public void Split_NonE164Text_HasNoCountry(string? text, string country, string areaCode, string number)
    {
        Assert.Equal((country, areaCode, number), PhoneRules.Split(text!));
    }

    [Theory]
    [InlineData("+5511987654321", PhoneType.Mobile)]
    [InlineData("+551133334444", PhoneType.Fixed)]
    [InlineData("+5592991234567", PhoneType.Mobile)]
    [InlineData("+558001234567", PhoneType.Fixed)]
    [InlineData("+12025550123", PhoneType.Fixed)]
    [InlineData("+14165550123", PhoneType.Fixed)]
    [InlineData("+442079460958", PhoneType.Fixed)]
    [InlineData("+390612345678", PhoneType.Fixed)]
    [InlineData("+5491112345678", PhoneType.Mobile)]
    [InlineData("+78123456789", PhoneType.Fixed)]
    public void Split_ThenNormalize_RoundTrips(string e164, PhoneType type)
    {
        var (country, areaCode, number) = PhoneRules.Split(e164);

        Assert.Equal((e164, (string?)null), PhoneRules.Normalize(country, areaCode, number, type));
    }

    [Fact]
    public void Split_ThenNormalize_RoundTripsEveryLibphonenumberExampleNumber()
    {
        var util = PhoneNumberUtil.GetInstance();
        var types = new[] { PhoneNumberType.FIXED_LINE, PhoneNumberType.MOBILE, PhoneNumberType.TOLL_FREE };
        var checkedNumbers = 0;
        foreach (var (code, _, _) in PhoneRules.Countries)
        {
            foreach (var numberType in types)
            {
                var example = util.GetExampleNumberForType(code, numberType);
                if (example is null)
                {
                    continue;
                }

                var e164 = util.Format(example, PhoneNumberFormat.E164);
                var type = util.GetNumberType(example) == PhoneNumberType.MOBILE ? PhoneType.Mobile : PhoneType.Fixed;
                var (country, areaCode, number) = PhoneRules.Split(e164);

                Assert.Equal((e164, (string?)null), PhoneRules.Normalize(country, areaCode, number, type));
                checkedNumbers++;
            }
        }

        Assert.True(checkedNumbers > 400, $"only {checkedNumbers} example numbers");
    }

    [Fact]
    public void Countries_BrasilFirst()
    {
        Assert.Equal(("BR", "Brasil", 55), PhoneRules.Countries[0]);
    }

    [Theory]
    [InlineData("US", "Estados Unidos", 1)]
    [InlineData("PT", "Portugal", 351)]
    [InlineData("DE", "Alemanha", 49)]
    [InlineData("AR", "Argentina", 54)]
    [InlineData("GB", "Reino Unido", 44)]
    [InlineData("ZA", "África do Sul", 27)]
    [InlineData("JP", "Japão", 81)]
    [InlineData("CA", "Canadá", 1)]
    public void Countries_HavePortugueseNamesAndDialCodes(string code, string name, int dialCode)
    {
        Assert.Contains((code, name, dialCode), PhoneRules.Countries);
    }

    [Fact]
    public void Countries_AfterBrasil_AreSortedByNameIgnoringAccents()
    {
        var names = PhoneRules.Countries.Skip(1).Select(c => Atende.Core.Data.SearchText.Normalize(c.Name)).ToList();

        Assert.Equal(names.Order(StringComparer.Ordinal), names);

        // "África do Sul" sorts among the A's, not after "Zimbábue".
        var codes = PhoneRules.Countries.Select(c => c.Code).ToList();
        Assert.True(codes.IndexOf("ZA") < codes.IndexOf("DE"));
        Assert.True(codes.IndexOf("AF") < codes.IndexOf("ZA"));
    }

    [Fact]
    public void Countries_CoverEveryRegionOnceWithATranslatedName()
    {
        var util = PhoneNumberUtil.GetInstance();
        var countries = PhoneRules.Countries;

        Assert.Equal(util.GetSupportedRegions().Count, countries.Count);
        Assert.Equal(countries.Count, countries.Select(c => c.Code).Distinct().Count());
        Assert.All(countries, c =>
        {
            Assert.False(string.IsNullOrWhiteSpace(c.Name));
            Assert.NotEqual(c.Code, c.Name);
            Assert.Equal(util.GetCountryCodeForRegion(c.Code), c.DialCode);
        });
    }

    [Fact]
    public void Countries_IsComputedOnceAndReadOnly()
    {
        Assert.Same(PhoneRules.Countries, PhoneRules.Countries);
        Assert.IsNotType<(string, string, int)[]>(PhoneRules.Countries);
        Assert.Throws<NotSupportedException>(() => ((IList<(string, string, int)>)PhoneRules.Countries).Add(("XX", "X", 0)));
    }

    [Fact]
    public void Countries_EveryCodeIsAcceptedByNormalize()
    {
        Assert.All(PhoneRules.Countries, c =>
            Assert.DoesNotContain("País desconhecido", PhoneRules.Normalize(c.Code, "", "1", PhoneType.Fixed).Error, StringComparison.Ordinal));
    }
}
