using System.Globalization;
using Atende.Core.Partners;

namespace Atende.Web.Infrastructure;

/// <summary>pt-BR display formats: "22/11/2026 14:30", "R$ 1.234,56".</summary>
public static class Fmt
{
    private static readonly CultureInfo PtBr = CultureInfo.GetCultureInfo("pt-BR");
    private static readonly TimeZoneInfo SaoPaulo = TimeZoneInfo.FindSystemTimeZoneById("America/Sao_Paulo");

    public static string DateTime(DateTimeOffset value, TimeZoneInfo? zone = null) =>
        TimeZoneInfo.ConvertTime(value, zone ?? SaoPaulo).ToString("dd/MM/yyyy HH:mm", PtBr);

    public static string Date(DateTimeOffset value, TimeZoneInfo? zone = null) =>
        TimeZoneInfo.ConvertTime(value, zone ?? SaoPaulo).ToString("dd/MM/yyyy", PtBr);

    /// <summary>"14:30", for a list cell that shows the date and, below it, the time.</summary>
    public static string Time(DateTimeOffset value, TimeZoneInfo? zone = null) =>
        TimeZoneInfo.ConvertTime(value, zone ?? SaoPaulo).ToString("HH:mm", PtBr);

    public static string Money(decimal value) => value.ToString("C2", PtBr);

    /// <summary>pt-BR, for dates and numbers a page formats itself.</summary>
    public static CultureInfo PtBrCulture => PtBr;

    /// <summary>"1.234".</summary>
    public static string Count(int value) => value.ToString("N0", PtBr);

    /// <summary>A ticket's value in a list or card: "—" when it has none (0), so a column of service tickets is not a column of R$ 0,00.</summary>
    public static string TicketValue(decimal value) => value == 0 ? "—" : Money(value);

    /// <summary>"820 bytes", "12,4 KB", "1,2 MB".</summary>
    public static string Size(long bytes) => bytes switch
    {
        < 1024 => $"{bytes} bytes",
        < 1024 * 1024 => (bytes / 1024d).ToString("0.#", PtBr) + " KB",
        _ => (bytes / (1024d * 1024)).ToString("0.#", PtBr) + " MB",
    };

    public static string NetworkIcon(SocialNetwork network) => network switch
    {
        SocialNetwork.Facebook => "bi-facebook",
        SocialNetwork.Instagram => "bi-instagram",
        SocialNetwork.LinkedIn => "bi-linkedin",
        SocialNetwork.Telegram => "bi-telegram",
        _ => "bi-whatsapp",
    };
}
