using Atende.Web.Infrastructure;

namespace Atende.Web.Tests.Forms;

/// <summary>The one parser of dates and times typed on forms ("Vencimento", a conversation's "Data e hora").</summary>
public sealed class DateTimeInputTests
{
    private static readonly TimeOnly Nine = new(9, 0);

    [Theory]
    [InlineData("25/12/2026 14:30", 2026, 12, 25, 14, 30)]
    [InlineData("  25/12/2026   14:30 ", 2026, 12, 25, 14, 30)]
    [InlineData("1/8/2030 8:05", 2030, 8, 1, 8, 5)]
    [InlineData("01/08/2030 14h30", 2030, 8, 1, 14, 30)]
    [InlineData("01/08/2030 14h", 2030, 8, 1, 14, 0)]
    [InlineData("01.08.2030 23:59", 2030, 8, 1, 23, 59)]
    [InlineData("01-08-2030, 00:00", 2030, 8, 1, 0, 0)]
    [InlineData("29/02/2028 10:00", 2028, 2, 29, 10, 0)]
    [InlineData("2030-08-01T14:30", 2030, 8, 1, 14, 30)]
    [InlineData("2030-08-01 14:30:00", 2030, 8, 1, 14, 30)]
    [InlineData("31/12/2100 23:59", 2100, 12, 31, 23, 59)]
    [InlineData("01/01/2000 00:00", 2000, 1, 1, 0, 0)]
    public void Reads_a_pt_BR_date_and_time(string text, int year, int month, int day, int hour, int minute)
    {
        Assert.True(DateTimeInput.TryParse(text, "Data e hora", Nine, out var local, out var error), error);
        Assert.Equal(new DateTime(year, month, day, hour, minute, 0), local);
        Assert.Equal(DateTimeKind.Unspecified, local.Kind);
    }

    [Theory]
    [InlineData("25/12/2026")]
    [InlineData("2026-12-25")]
    public void A_date_alone_takes_the_given_time(string text)
    {
        Assert.True(DateTimeInput.TryParse(text, "Vencimento", new TimeOnly(23, 59), out var local, out _));
        Assert.Equal(new DateTime(2026, 12, 25, 23, 59, 0), local);
        Assert.True(DateTimeInput.TryParse(text, "Data e hora", Nine, out var morning, out _));
        Assert.Equal(new DateTime(2026, 12, 25, 9, 0, 0), morning);
    }

    [Theory]
    [InlineData("31/02/2026", "Vencimento: o dia 31/02/2026 não existe.")]
    [InlineData("29/02/2027 10:00", "Vencimento: o dia 29/02/2027 não existe.")]
    [InlineData("99/99/9999", "Vencimento: o dia 99/99/9999 não existe.")]
    [InlineData("00/01/2026 10:00", "Vencimento: o dia 00/01/2026 não existe.")]
    [InlineData("01/01/9999 10:00", "Vencimento: o ano 9999 está fora do intervalo aceito (2000 a 2100).")]
    [InlineData("31/12/1999 10:00", "Vencimento: o ano 1999 está fora do intervalo aceito (2000 a 2100).")]
    [InlineData("01/01/0000 10:00", "Vencimento: o ano 0000 está fora do intervalo aceito (2000 a 2100).")]
    [InlineData("25/12/2026 24:00", "Vencimento: a hora 24:00 não existe; use de 00:00 a 23:59.")]
    [InlineData("25/12/2026 14:60", "Vencimento: a hora 14:60 não existe; use de 00:00 a 23:59.")]
    [InlineData("amanhã cedo", "Vencimento: use o formato dd/mm/aaaa hh:mm, por exemplo 22/11/2026 14:30.")]
    [InlineData("12/25/2026 2:30 PM", "Vencimento: use o formato dd/mm/aaaa hh:mm, por exemplo 22/11/2026 14:30.")]
    [InlineData("25/12/26 14:30", "Vencimento: use o formato dd/mm/aaaa hh:mm, por exemplo 22/11/2026 14:30.")]
    [InlineData("25/12-2026", "Vencimento: use o formato dd/mm/aaaa hh:mm, por exemplo 22/11/2026 14:30.")]
    [InlineData("٢٥/١٢/٢٠٢٦ ١٤:٣٠", "Vencimento: use o formato dd/mm/aaaa hh:mm, por exemplo 22/11/2026 14:30.")]
    [InlineData("   ", "Vencimento: informe a data, por exemplo 22/11/2026 14:30.")]
    [InlineData(null, "Vencimento: informe a data, por exemplo 22/11/2026 14:30.")]
    public void Refuses_with_a_pt_BR_message_naming_the_field(string? text, string message)
    {
        Assert.False(DateTimeInput.TryParse(text, "Vencimento", Nine, out _, out var error));
        Assert.Equal(message, error);
    }

    [Fact]
    public void Shows_an_instant_in_the_company_time_zone()
    {
        var saoPaulo = TimeZoneInfo.FindSystemTimeZoneById("America/Sao_Paulo");
        Assert.Equal("25/12/2026 14:30", DateTimeInput.Show(new DateTimeOffset(2026, 12, 25, 17, 30, 0, TimeSpan.Zero), saoPaulo));
        Assert.Equal("01/01/2027 00:05", DateTimeInput.Show(new DateTimeOffset(2027, 1, 1, 3, 5, 0, TimeSpan.Zero), saoPaulo));
    }
}
