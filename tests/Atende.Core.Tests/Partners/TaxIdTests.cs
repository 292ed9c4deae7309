using Atende.Core.Partners;
using Xunit;

namespace Atende.Core.Tests.Partners;

public class TaxIdTests
{
    private const string InvalidCpf = "CPF inválido: dígitos verificadores não conferem.";
    private const string InvalidCnpj = "CNPJ inválido: dígitos verificadores não conferem.";
    private const string Incomplete = "Código parece um CPF/CNPJ incompleto";

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("\t\n")]
    public void Parse_EmptyInput_IsNone(string? input)
    {
        Assert.Equal((TaxIdKind.None, "", (string?)null), TaxId.Parse(input));
    }

    [Theory]
    [InlineData("529.982.247-25", "529.982.247-25")]
    [InlineData("52998224725", "529.982.247-25")]
    [InlineData("  529 982 247 25 ", "529.982.247-25")]
    [InlineData("529982247-25", "529.982.247-25")]
    [InlineData("123.456.789-09", "123.456.789-09")]
    [InlineData("390.533.447-05", "390.533.447-05")]
    [InlineData("11144477735", "111.444.777-35")]
    [InlineData("000.000.001-91", "000.000.001-91")]
    public void Parse_ValidCpf_IsFormatted(string input, string expected)
    {
        Assert.Equal((TaxIdKind.Cpf, expected, (string?)null), TaxId.Parse(input));
    }

    [Theory]
    [InlineData("529.982.247-26", "529.982.247-26")]
    [InlineData("529.982.247-15", "529.982.247-15")]
    [InlineData("52998224752", "529.982.247-52")]
    [InlineData("111.111.111-11", "111.111.111-11")]
    [InlineData("000.000.000-00", "000.000.000-00")]
    [InlineData("99999999999", "999.999.999-99")]
    public void Parse_InvalidCpf_KeepsKindAndFormatWithError(string input, string expected)
    {
        Assert.Equal((TaxIdKind.Cpf, expected, InvalidCpf), TaxId.Parse(input));
    }

    [Theory]
    [InlineData("52998224725")]
    [InlineData("12345678909")]
    [InlineData("39053344705")]
    [InlineData("11144477735")]
    public void IsValidCpf_AcceptsValidAndRejectsEveryOtherCheckDigit(string valid)
    {
        Assert.True(TaxId.IsValidCpf(valid));
        foreach (var position in new[] { 9, 10 })
        {
            for (var digit = '0'; digit <= '9'; digit++)
            {
                if (digit == valid[position])
                {
                    continue;
                }

                var changed = valid[..position] + digit + valid[(position + 1)..];
                Assert.False(TaxId.IsValidCpf(changed), changed);
            }
        }
    }

    [Fact]
    public void IsValidCpf_RejectsEveryAllSameDigitCpf()
    {
        for (var digit = '0'; digit <= '9'; digit++)
        {
            Assert.False(TaxId.IsValidCpf(new string(digit, 11)));
        }
    }

    [Theory]
    [InlineData("529.982.247-25")]
    [InlineData("5299822472")]
    [InlineData("529982247250")]
    [InlineData("5299822472A")]
    [InlineData("")]
    [InlineData(null)]
    public void IsValidCpf_RejectsAnythingButElevenRawDigits(string? input)
    {
        Assert.False(TaxId.IsValidCpf(input!));
    }

    [Theory]
    [InlineData("11.222.333/0001-81", "11.222.333/0001-81")]
    [InlineData("11222333000181", "11.222.333/0001-81")]
    [InlineData(" 11 222 333 0001 81 ", "11.222.333/0001-81")]
    [InlineData("00.000.000/0001-91", "00.000.000/0001-91")]
    public void Parse_ValidNumericCnpj_IsFormatted(string input, string expected)
    {
        Assert.Equal((TaxIdKind.Cnpj, expected, (string?)null), TaxId.Parse(input));
    }

    [Theory]
    [InlineData("12.ABC.345/01DE-35", "12.ABC.345/01DE-35")]
    [InlineData("12ABC34501DE35", "12.ABC.345/01DE-35")]
    [InlineData("12.abc.345/01de-35", "12.ABC.345/01DE-35")]
    [InlineData("12abc34501De35", "12.ABC.345/01DE-35")]
    [InlineData("A1B2C3D4000193", "A1.B2C.3D4/0001-93")]
    [InlineData("ABCDEFGHIJKL80", "AB.CDE.FGH/IJKL-80")]
    [InlineData("Z9.Y8X.7W6/0001-05", "Z9.Y8X.7W6/0001-05")]
    public void Parse_ValidAlphanumericCnpj_IsUpperCasedAndFormatted(string input, string expected)
    {
        Assert.Equal((TaxIdKind.Cnpj, expected, (string?)null), TaxId.Parse(input));
    }

    [Theory]
    [InlineData("12.ABC.345/01DE-36", "12.ABC.345/01DE-36")]
    [InlineData("12.ABC.345/01DE-53", "12.ABC.345/01DE-53")]
    [InlineData("12.ABD.345/01DE-35", "12.ABD.345/01DE-35")]
    [InlineData("11.222.333/0001-82", "11.222.333/0001-82")]
    [InlineData("11.222.333/0001-18", "11.222.333/0001-18")]
    [InlineData("00.000.000/0000-00", "00.000.000/0000-00")]
    [InlineData("11111111111111", "11.111.111/1111-11")]
    [InlineData("FORNECEDOR0001", "FO.RNE.CED/OR00-01")]
    public void Parse_InvalidCnpj_KeepsKindAndFormatWithError(string input, string expected)
    {
        Assert.Equal((TaxIdKind.Cnpj, expected, InvalidCnpj), TaxId.Parse(input));
    }

    [Theory]
    [InlineData("11222333000181")]
    [InlineData("12ABC34501DE35")]
    [InlineData("A1B2C3D4000193")]
    [InlineData("Z9Y8X7W6000105")]
    public void IsValidCnpj_AcceptsValidAndRejectsEveryOtherCheckDigit(string valid)
    {
        Assert.True(TaxId.IsValidCnpj(valid));
        foreach (var position in new[] { 12, 13 })
        {
            for (var digit = '0'; digit <= '9'; digit++)
            {
                if (digit == valid[position])
                {
                    continue;
                }

                var changed = valid[..position] + digit + valid[(position + 1)..];
                Assert.False(TaxId.IsValidCnpj(changed), changed);
            }
        }
    }

    [Fact]
    public void IsValidCnpj_LetterValueIsAsciiCodeMinus48()
    {
        // With 'A' = 17 … 'Z' = 42 (ASCII − 48) the check digits of 12ABC34501DE are 35.
        Assert.True(TaxId.IsValidCnpj("12ABC34501DE35"));

        // With the "hexadecimal-like" value 'A' = 10 … they would be 45: that must be rejected.
        Assert.False(TaxId.IsValidCnpj("12ABC34501DE45"));

        // Changing a single letter changes the check digits (12BBC… → 07, …DF → 16).
        Assert.False(TaxId.IsValidCnpj("12BBC34501DE35"));
        Assert.True(TaxId.IsValidCnpj("12BBC34501DE07"));
        Assert.False(TaxId.IsValidCnpj("12ABC34501DF35"));
        Assert.True(TaxId.IsValidCnpj("12ABC34501DF16"));
    }

    [Theory]
    [InlineData("12abc34501de35")]
    [InlineData("12.ABC.345/01DE-35")]
    [InlineData("12ABC34501DE3")]
    [InlineData("12ABC34501DE355")]
    [InlineData("12ABC34501DE3A")]
    [InlineData("12ABC3450_DE35")]
    [InlineData("00000000000000")]
    [InlineData("")]
    [InlineData(null)]
    public void IsValidCnpj_RejectsAnythingButFourteenRawUpperCaseChars(string? input)
    {
        Assert.False(TaxId.IsValidCnpj(input!));
    }

    [Theory]
    [InlineData("1234567890", TaxIdKind.Cpf, 10)]
    [InlineData("123.456.789-0", TaxIdKind.Cpf, 10)]
    [InlineData("123456789012", TaxIdKind.Cnpj, 12)]
    [InlineData("12.345.678/0001", TaxIdKind.Cnpj, 12)]
    [InlineData("12.345.678/0001-9", TaxIdKind.Cnpj, 13)]
    [InlineData("1234567890123", TaxIdKind.Cnpj, 13)]
    [InlineData("123.456.789", TaxIdKind.Cpf, 9)]
    [InlineData("12.345.678/0001-901", TaxIdKind.Cnpj, 15)]
    public void Parse_DigitsOnlyWithTenTwelveOrThirteenDigits_IsRefusedAsIncomplete(string input, TaxIdKind kind, int digits)
    {
        var (actualKind, normalized, error) = TaxId.Parse(input);

        Assert.Equal(kind, actualKind);
        Assert.Equal(input, normalized);
        Assert.NotNull(error);
        Assert.StartsWith(Incomplete, error, StringComparison.Ordinal);
        Assert.Contains($"{digits} dígitos", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("CLI-0042", "CLI-0042")]
    [InlineData("ACME", "ACME")]
    [InlineData("acme", "acme")]
    [InlineData("12345", "12345")]
    [InlineData("  Cliente   Especial \t 7 ", "Cliente Especial 7")]
    [InlineData("123456789012345", "123456789012345")]
    [InlineData("ABC12345678", "ABC12345678")]
    [InlineData("12ABC34501DEXY", "12ABC34501DEXY")]
    [InlineData("12.ABC.345/01D", "12.ABC.345/01D")]
    [InlineData("1234567890_", "1234567890_")]
    [InlineData("529.982.247-25 A", "529.982.247-25 A")]
    [InlineData("Jose\u0301", "Jos\u00e9")]
    public void Parse_OtherCodes_AreFreeAndCleaned(string input, string expected)
    {
        Assert.Equal((TaxIdKind.Free, expected, (string?)null), TaxId.Parse(input));
    }

    [Fact]
    public void Parse_FreeCode_AtMost40Characters()
    {
        var forty = "CODIGO-" + new string('X', 33);
        Assert.Equal(40, forty.Length);
        Assert.Equal((TaxIdKind.Free, forty, (string?)null), TaxId.Parse(forty));

        var fortyOne = forty + "Y";
        Assert.Equal((TaxIdKind.Free, fortyOne, "O código pode ter no máximo 40 caracteres."), TaxId.Parse(fortyOne));

        // Length is counted after trimming and collapsing whitespace.
        var withSpaces = "CODIGO " + new string('X', 33);
        Assert.Equal((TaxIdKind.Free, withSpaces, (string?)null), TaxId.Parse("   CODIGO 	   " + new string('X', 33) + "   "));
    }

    [Theory]
    [InlineData("529.982.247-25")]
    [InlineData("529.982.247-26")]
    [InlineData("12.abc.345/01de-35")]
    [InlineData("11222333000181")]
    [InlineData("  cli   0042 ")]
    [InlineData("1234567890")]
    [InlineData("")]
    public void Parse_IsIdempotent(string input)
    {
        var first = TaxId.Parse(input);
        Assert.Equal(first, TaxId.Parse(first.Normalized));
    }

    [Theory]
    [InlineData("529.982.247-25", "52998224725")]
    [InlineData("52998224725", "52998224725")]
    [InlineData("11.222.333/0001-81", "11222333000181")]
    [InlineData("12.ABC.345/01DE-35", "12ABC34501DE35")]
    [InlineData("12.abc.345/01de-35", "12ABC34501DE35")]
    [InlineData("CLI-0042", "CLI-0042")]
    [InlineData("cli 0042", "CLI0042")]
    [InlineData("Cliente Especial", "CLIENTEESPECIAL")]
    [InlineData("", "")]
    [InlineData("   ", "")]
    [InlineData(null, "")]
    public void DuplicateKey_ReturnsRawUpperCaseKey(string? normalized, string expected)
    {
        Assert.Equal(expected, TaxId.DuplicateKey(normalized!));
    }

    [Theory]
    [InlineData("529.982.247-25", "52998224725")]
    [InlineData("12.ABC.345/01DE-35", "12abc34501de35")]
    [InlineData("11.222.333/0001-81", " 11222333 0001 81")]
    [InlineData("CLI 0042", "cli  0042")]
    public void DuplicateKey_SameForEveryWayOfTypingTheSameCode(string a, string b)
    {
        var keyA = TaxId.DuplicateKey(TaxId.Parse(a).Normalized);
        var keyB = TaxId.DuplicateKey(TaxId.Parse(b).Normalized);

        Assert.Equal(keyA, keyB);
        Assert.Equal(keyA, TaxId.DuplicateKey(a));
        Assert.Equal(keyB, TaxId.DuplicateKey(b));
    }

    [Fact]
    public void DuplicateKey_DifferentCodesGiveDifferentKeys()
    {
        Assert.NotEqual(TaxId.DuplicateKey("529.982.247-25"), TaxId.DuplicateKey("123.456.789-09"));
        Assert.NotEqual(TaxId.DuplicateKey("CLI-0042"), TaxId.DuplicateKey("CLI-0043"));
    }
}
