using System.Globalization;
using System.Text.RegularExpressions;
using PdfSharp;
using PdfSharp.Drawing;
using PdfSharp.Pdf;

namespace Atende.Core.Sales;

/// <summary>
/// The PDF of a quote version (A4 portrait): the company and the customer with their tax data, the items, the totals,
/// the notes and the approval link, with "Página X de Y" on every page. Long texts wrap; a long table goes on over as
/// many pages as it needs with its header repeated; a superseded version says so on every page.
/// </summary>
public static partial class QuotePdf
{
    private static readonly CultureInfo PtBr = CultureInfo.GetCultureInfo("pt-BR");

    public static byte[] Render(QuoteDocument document)
    {
        ArgumentNullException.ThrowIfNull(document);
        QuoteFonts.Register();
        using var pdf = new PdfDocument();
        pdf.Info.Title = $"{document.Title} {document.Number} v{document.Version}";
        pdf.Info.Author = document.Company.Name;
        pdf.Info.Creator = "Atende";
        var layout = new Layout(pdf, document);
        layout.Write();
        using var stream = new MemoryStream();
        pdf.Save(stream, false);
        return stream.ToArray();
    }

    /// <summary>"R$ 1.234,56".</summary>
    public static string Money(decimal value) => "R$ " + value.ToString("N2", PtBr);

    /// <summary>"2", "1,5", "0,125", "1.000".</summary>
    public static string Quantity(decimal value) => value.ToString("#,##0.###", PtBr);

    /// <summary>"06/12/2026".</summary>
    public static string Date(DateOnly value) => value.ToString("dd/MM/yyyy", CultureInfo.InvariantCulture);

    /// <summary>"CPF 529.982.247-25" for a formatted CPF, "CNPJ …" for anything else; "" when there is none.</summary>
    public static string TaxIdLine(string taxId) =>
        string.IsNullOrWhiteSpace(taxId) ? "" : (FormattedCpf().IsMatch(taxId.Trim()) ? "CPF " : "CNPJ ") + taxId.Trim();

    [GeneratedRegex(@"^\d{3}\.\d{3}\.\d{3}-\d{2}$")]
    private static partial Regex FormattedCpf();

    private static string Joined(params string[] parts) =>
        string.Join(" · ", parts.Where(p => !string.IsNullOrWhiteSpace(p)).Select(p => p.Trim()));

    /// <summary>Lays the document out page by page, top to bottom; <see cref="y"/> is where the next thing goes.</summary>
    private sealed class Layout(PdfDocument pdf, QuoteDocument doc)
    {
        private const double Margin = 40;
        private const double FooterSpace = 30;
        private const double BannerHeight = 22;
        private const double ContinuationHeaderHeight = 28;
        private const double CellPadX = 4;
        private const double CellPadY = 3.5;
        private const double TableHeaderHeight = 18;

        private static readonly XColor Ink = XColor.FromArgb(33, 37, 41);
        private static readonly XColor MutedInk = XColor.FromArgb(94, 100, 108);
        private static readonly XColor Rule = XColor.FromArgb(206, 212, 218);
        private static readonly XColor Shade = XColor.FromArgb(241, 243, 245);
        private static readonly XColor Warning = XColor.FromArgb(176, 0, 32);
        private static readonly XColor WarningShade = XColor.FromArgb(253, 236, 238);
        private static readonly XColor LinkInk = XColor.FromArgb(13, 94, 215);

        private readonly XBrush ink = new XSolidBrush(Ink);
        private readonly XBrush muted = new XSolidBrush(MutedInk);
        private readonly XBrush link = new XSolidBrush(LinkInk);
        private readonly XPen rule = new(Rule, 0.6);
        private readonly XPen strongRule = new(Ink, 0.8);

        private readonly XFont body = Font(9);
        private readonly XFont bodyBold = Font(9, bold: true);
        private readonly XFont small = Font(8);
        private readonly XFont cell = Font(8.5);
        private readonly XFont headerCell = Font(8, bold: true);
        private readonly XFont heading = Font(10, bold: true);
        private readonly XFont companyName = Font(14, bold: true);
        private readonly XFont title = Font(13, bold: true);
        private readonly XFont totalFont = Font(11, bold: true);
        private readonly XFont footer = Font(7.5);

        private XGraphics? gfx;
        private PdfPage? page;
        private double y;

        // The items table: Nº, Descrição (the rest of the width), Qtd., Valor unit., Desconto, Total.
        private static readonly string[] ColumnTitles = ["Nº", "Descrição", "Qtd.", "Valor unit.", "Desconto", "Total"];
        private static readonly double[] FixedWidths = [26, 0, 46, 80, 66, 82];

        private XGraphics G => gfx!;
        private double Width => page!.Width.Point - 2 * Margin;
        private double Right => Margin + Width;
        private double Bottom => page!.Height.Point - Margin - FooterSpace;

        private static XFont Font(double size, bool bold = false) =>
            new(QuoteFonts.Family, size, bold ? XFontStyleEx.Bold : XFontStyleEx.Regular);

        public void Write()
        {
            NewPage();
            Header();
            Customer();
            Items();
            Totals();
            Notes();
            Approval();
            gfx?.Dispose();
            Footers();
        }

        private void NewPage()
        {
            gfx?.Dispose();
            page = pdf.AddPage();
            page.Size = PageSize.A4;
            page.Orientation = PageOrientation.Portrait;
            gfx = XGraphics.FromPdfPage(page);
            y = Margin;
            if (doc.Obsolete)
            {
                ObsoleteBanner();
            }
            if (pdf.PageCount > 1)
            {
                ContinuationHeader();
            }
        }

        /// <summary>The red band a superseded version carries at the top of every page.</summary>
        private void ObsoleteBanner()
        {
            var band = new XRect(Margin, y, Width, BannerHeight);
            G.DrawRectangle(new XPen(Warning, 1), new XSolidBrush(WarningShade), band);
            DrawFitted("VERSÃO SUBSTITUÍDA — existe uma versão mais recente; esta não vale mais.", heading,
                new XSolidBrush(Warning), band, XStringFormats.Center);
            y += BannerHeight + 8;
        }

        /// <summary>Pages after the first: the company and the document's number, then a rule.</summary>
        private void ContinuationHeader()
        {
            var half = Width / 2;
            DrawFitted(doc.Company.Name, bodyBold, ink, new XRect(Margin, y, half - 6, 14), XStringFormats.TopLeft);
            DrawFitted($"{doc.Title} {doc.Number} · Versão {doc.Version}", body, ink,
                new XRect(Margin + half, y, half, 14), XStringFormats.TopRight);
            y += 18;
            G.DrawLine(rule, Margin, y, Right, y);
            y += ContinuationHeaderHeight - 18;
        }

        /// <summary>First page: the company's name and data on the left, the document's identity on the right.</summary>
        private void Header()
        {
            var company = doc.Company;
            var rightWidth = 200.0;
            var leftWidth = Width - rightWidth - 16;
            var top = y;

            var left = top;
            left = Lines(Wrap(company.Name, companyName, leftWidth), companyName, ink, Margin, left, leftWidth);
            left += 2;
            var data = new List<string>
            {
                Joined(TaxIdLine(company.TaxId), string.IsNullOrWhiteSpace(company.StateRegistration) ? "" : "IE " + company.StateRegistration.Trim()),
            };
            data.AddRange(company.AddressLines);
            data.Add(Joined(company.Phone, company.Email));
            foreach (var line in data.Where(l => !string.IsNullOrWhiteSpace(l)))
            {
                left = Lines(Wrap(line, small, leftWidth), small, muted, Margin, left, leftWidth);
            }

            var right = top;
            var rightX = Right - rightWidth;
            right = Lines(Wrap($"{doc.Title} {doc.Number}", title, rightWidth), title, ink, rightX, right, rightWidth, XStringFormats.TopRight);
            right = Lines([$"Versão {doc.Version}"], heading, ink, rightX, right + 1, rightWidth, XStringFormats.TopRight);
            var facts = new List<string> { "Emitido em " + Date(doc.IssuedOn) };
            if (doc.ValidUntil is { } validUntil)
            {
                facts.Add("Válido até " + Date(validUntil));
            }
            if (!string.IsNullOrWhiteSpace(doc.StateLabel))
            {
                facts.Add("Situação: " + doc.StateLabel.Trim());
            }
            foreach (var fact in facts)
            {
                right = Lines(Wrap(fact, body, rightWidth), body, ink, rightX, right + 1, rightWidth, XStringFormats.TopRight);
            }

            y = Math.Max(left, right) + 8;
            G.DrawLine(strongRule, Margin, y, Right, y);
            y += 12;
        }

        /// <summary>The "Cliente" box: name, CPF/CNPJ and IE, address, e-mail and phone.</summary>
        private void Customer()
        {
            var customer = doc.Customer;
            const double pad = 8;
            var inner = Width - 2 * pad;
            var rows = new List<(string Text, XFont Font, XBrush Brush)>();
            foreach (var line in Wrap(string.IsNullOrWhiteSpace(customer.Name) ? "—" : customer.Name, bodyBold, inner))
            {
                rows.Add((line, bodyBold, ink));
            }
            var data = new List<string>
            {
                Joined(TaxIdLine(customer.TaxId), string.IsNullOrWhiteSpace(customer.StateRegistration) ? "" : "IE " + customer.StateRegistration.Trim()),
            };
            data.AddRange(customer.AddressLines);
            data.Add(Joined(customer.Email, customer.Phone));
            foreach (var line in data.Where(l => !string.IsNullOrWhiteSpace(l)).SelectMany(l => Wrap(l, body, inner)))
            {
                rows.Add((line, body, ink));
            }

            var titleHeight = heading.GetHeight() + 3;
            var height = pad + titleHeight + rows.Sum(r => r.Font.GetHeight()) + pad;
            if (y + height > Bottom && y > TopOfContent())
            {
                NewPage();
            }
            G.DrawRectangle(rule, new XRect(Margin, y, Width, height));
            var at = y + pad;
            G.DrawString("Cliente", heading, ink, new XRect(Margin + pad, at, inner, heading.GetHeight()), XStringFormats.TopLeft);
            at += titleHeight;
            foreach (var (text, font, brush) in rows)
            {
                G.DrawString(text, font, brush, new XRect(Margin + pad, at, inner, font.GetHeight()), XStringFormats.TopLeft);
                at += font.GetHeight();
            }
            y += height + 14;
        }

        private double[] ColumnWidths()
        {
            var widths = (double[])FixedWidths.Clone();
            widths[1] = Width - FixedWidths.Sum();
            return widths;
        }

        private void Items()
        {
            var widths = ColumnWidths();
            var lineHeight = cell.GetHeight();
            // A page with nothing but the header is no use: the header goes where at least one line of a row fits.
            if (y + TableHeaderHeight + lineHeight + 2 * CellPadY > Bottom)
            {
                NewPage();
            }
            TableHeader(widths);
            var freshRoom = Bottom - (TopOfContent() + TableHeaderHeight) - 2 * CellPadY;
            var freshLines = Math.Max(1, (int)Math.Floor(freshRoom / lineHeight));
            foreach (var line in doc.Lines)
            {
                Row(line, widths, lineHeight, freshLines);
            }
        }

        /// <summary>One item: its description wraps inside its column; a row taller than what is left of the page moves to
        /// the next one, and one taller than a whole page goes on over pages.</summary>
        private void Row(QuoteDocumentLine line, double[] widths, double lineHeight, int freshLines)
        {
            var description = Wrap(line.Description, cell, widths[1] - 2 * CellPadX);
            if (description.Count == 0)
            {
                description = [""];
            }
            var values = new[]
            {
                line.Position.ToString(CultureInfo.InvariantCulture), "", Quantity(line.Quantity), Money(line.UnitPrice),
                line.Discount == 0 ? "—" : Money(line.Discount), Money(line.Total),
            };
            var start = 0;
            while (start < description.Count)
            {
                var remaining = description.Count - start;
                var fits = Math.Max(0, (int)Math.Floor((Bottom - y - 2 * CellPadY) / lineHeight));
                if (fits < remaining && (fits == 0 || (start == 0 && remaining <= freshLines)))
                {
                    NewPage();
                    TableHeader(widths);
                    continue;
                }
                var take = Math.Min(fits, remaining);
                var height = take * lineHeight + 2 * CellPadY;
                var x = Margin;
                for (var c = 0; c < widths.Length; c++)
                {
                    var box = new XRect(x + CellPadX, y + CellPadY, widths[c] - 2 * CellPadX, lineHeight);
                    if (c == 1)
                    {
                        for (var i = 0; i < take; i++)
                        {
                            G.DrawString(description[start + i], cell, ink, box with { Y = y + CellPadY + i * lineHeight }, XStringFormats.TopLeft);
                        }
                    }
                    else if (start == 0)
                    {
                        DrawFitted(values[c], cell, ink, box, XStringFormats.TopRight);
                    }
                    x += widths[c];
                }
                y += height;
                G.DrawLine(rule, Margin, y, Right, y);
                start += take;
                if (start < description.Count)
                {
                    NewPage();
                    TableHeader(widths);
                }
            }
        }

        private void TableHeader(double[] widths)
        {
            G.DrawRectangle(new XSolidBrush(Shade), new XRect(Margin, y, Width, TableHeaderHeight));
            var x = Margin;
            for (var c = 0; c < widths.Length; c++)
            {
                var box = new XRect(x + CellPadX, y, widths[c] - 2 * CellPadX, TableHeaderHeight);
                DrawFitted(ColumnTitles[c], headerCell, ink, box, c == 1 ? XStringFormats.CenterLeft : XStringFormats.CenterRight);
                x += widths[c];
            }
            y += TableHeaderHeight;
            G.DrawLine(strongRule, Margin, y, Right, y);
        }

        /// <summary>Subtotal, Descontos and Total (bold), on the right under the table.</summary>
        private void Totals()
        {
            const double blockWidth = 240;
            var rowHeight = body.GetHeight() + 3;
            var height = 8 + 2 * rowHeight + 6 + totalFont.GetHeight() + 4;
            if (y + height > Bottom)
            {
                NewPage();
            }
            y += 8;
            var x = Right - blockWidth;
            foreach (var (label, value) in new[] { ("Subtotal", doc.Subtotal), ("Descontos", doc.DiscountTotal) })
            {
                G.DrawString(label, body, ink, new XRect(x, y, blockWidth / 2, rowHeight), XStringFormats.TopLeft);
                DrawFitted(Money(value), body, ink, new XRect(x + blockWidth / 3, y, blockWidth * 2 / 3, rowHeight), XStringFormats.TopRight);
                y += rowHeight;
            }
            y += 2;
            G.DrawLine(strongRule, x, y, Right, y);
            y += 4;
            G.DrawString("Total", totalFont, ink, new XRect(x, y, blockWidth / 2, totalFont.GetHeight()), XStringFormats.TopLeft);
            DrawFitted(Money(doc.Total), totalFont, ink, new XRect(x + blockWidth / 3, y, blockWidth * 2 / 3, totalFont.GetHeight()), XStringFormats.TopRight);
            y += totalFont.GetHeight() + 16;
        }

        /// <summary>"Observações": the notes as written, their line breaks kept and long lines wrapped.</summary>
        private void Notes()
        {
            if (string.IsNullOrWhiteSpace(doc.Notes))
            {
                return;
            }
            var lines = Wrap(doc.Notes.Trim(), body, Width);
            var lineHeight = body.GetHeight();
            if (y + heading.GetHeight() + 4 + lineHeight > Bottom)
            {
                NewPage();
            }
            G.DrawString("Observações", heading, ink, new XRect(Margin, y, Width, heading.GetHeight()), XStringFormats.TopLeft);
            y += heading.GetHeight() + 4;
            foreach (var line in lines)
            {
                if (y + lineHeight > Bottom)
                {
                    NewPage();
                }
                G.DrawString(line, body, ink, new XRect(Margin, y, Width, lineHeight), XStringFormats.TopLeft);
                y += lineHeight;
            }
            y += 14;
        }

        /// <summary>The approval link, clickable, under the notes.</summary>
        private void Approval()
        {
            if (string.IsNullOrWhiteSpace(doc.ApprovalUrl))
            {
                return;
            }
            var url = doc.ApprovalUrl.Trim();
            var lineHeight = body.GetHeight();
            var urlLines = Wrap(url, body, Width);
            if (y + bodyBold.GetHeight() + 2 + lineHeight > Bottom)
            {
                NewPage();
            }
            G.DrawString("Para aprovar este orçamento, acesse:", bodyBold, ink, new XRect(Margin, y, Width, bodyBold.GetHeight()), XStringFormats.TopLeft);
            y += bodyBold.GetHeight() + 2;
            var underline = new XPen(LinkInk, 0.5);
            foreach (var line in urlLines)
            {
                if (y + lineHeight > Bottom)
                {
                    NewPage();
                }
                var width = G.MeasureString(line, body).Width;
                var box = new XRect(Margin, y, width, lineHeight);
                G.DrawString(line, body, link, box, XStringFormats.TopLeft);
                var baseline = y + lineHeight - 2;
                G.DrawLine(underline, Margin, baseline, Margin + width, baseline);
                page!.AddWebLink(new PdfRectangle(G.Transformer.WorldToDefaultPage(box)), url);
                y += lineHeight;
            }
            y += 10;
        }

        /// <summary>On every page, once all are laid out: a rule, the document's number and version, "Página X de Y".</summary>
        private void Footers()
        {
            var count = pdf.PageCount;
            for (var i = 0; i < count; i++)
            {
                var current = pdf.Pages[i];
                using var g = XGraphics.FromPdfPage(current, XGraphicsPdfPageOptions.Append);
                var width = current.Width.Point - 2 * Margin;
                var top = current.Height.Point - Margin - FooterSpace + 10;
                g.DrawLine(rule, Margin, top, Margin + width, top);
                var text = new XRect(Margin, top + 4, width, footer.GetHeight());
                var identity = $"{doc.Title} {doc.Number} · Versão {doc.Version}" + (doc.Obsolete ? " · VERSÃO SUBSTITUÍDA" : "");
                g.DrawString(identity, footer, muted, text, XStringFormats.TopLeft);
                g.DrawString($"Página {i + 1} de {count}", footer, muted, text, XStringFormats.TopRight);
            }
        }

        /// <summary>Where content starts on a page after the first (banner and continuation header drawn).</summary>
        private static double ContinuationTop(bool obsolete) => Margin + (obsolete ? BannerHeight + 8 : 0) + ContinuationHeaderHeight;

        private double TopOfContent() => ContinuationTop(doc.Obsolete);

        private double Lines(IEnumerable<string> lines, XFont font, XBrush brush, double x, double top, double width, XStringFormat? format = null)
        {
            var height = font.GetHeight();
            foreach (var line in lines)
            {
                G.DrawString(line, font, brush, new XRect(x, top, width, height), format ?? XStringFormats.TopLeft);
                top += height;
            }
            return top;
        }

        /// <summary>One line of text that must stay in its box: drawn smaller when it would not fit.</summary>
        private void DrawFitted(string text, XFont font, XBrush brush, XRect box, XStringFormat format)
        {
            var width = G.MeasureString(text, font).Width;
            if (width <= box.Width || width == 0)
            {
                G.DrawString(text, font, brush, box, format);
                return;
            }
            var smaller = new XFont(QuoteFonts.Family, Math.Max(1, font.Size * box.Width / width * 0.98), font.Bold ? XFontStyleEx.Bold : XFontStyleEx.Regular);
            if (format.LineAlignment != XLineAlignment.Near)
            {
                G.DrawString(text, smaller, brush, box, format);
                return;
            }
            // Top-aligned: the smaller text keeps the baseline its neighbours in the row have.
            var baseline = box.Y + font.GetHeight() * font.CellAscent / font.CellSpace;
            G.DrawString(text, smaller, brush, box with { Y = baseline, Height = 0 },
                new XStringFormat { Alignment = format.Alignment, LineAlignment = XLineAlignment.BaseLine });
        }

        /// <summary>
        /// The text's lines at this width: its own line breaks kept (an empty line stays), words moved to the next line, and a
        /// word longer than the width (a URL, a code) broken where it reaches the edge. Nothing is dropped.
        /// </summary>
        private List<string> Wrap(string text, XFont font, double width)
        {
            var lines = new List<string>();
            var space = G.MeasureString(" ", font).Width;
            foreach (var paragraph in text.Replace("\r\n", "\n", StringComparison.Ordinal).Replace('\r', '\n').Replace('\t', ' ').Split('\n'))
            {
                var current = "";
                var currentWidth = 0.0;
                foreach (var word in paragraph.Split(' ', StringSplitOptions.RemoveEmptyEntries))
                {
                    var wordWidth = G.MeasureString(word, font).Width;
                    if (current.Length > 0 && currentWidth + space + wordWidth <= width)
                    {
                        current += " " + word;
                        currentWidth += space + wordWidth;
                        continue;
                    }
                    if (current.Length > 0)
                    {
                        lines.Add(current);
                    }
                    if (wordWidth <= width)
                    {
                        current = word;
                        currentWidth = wordWidth;
                        continue;
                    }
                    // Longer than a line: cut it at the edge, as many times as it takes.
                    current = "";
                    currentWidth = 0;
                    foreach (var piece in Pieces(word))
                    {
                        var pieceWidth = G.MeasureString(piece, font).Width;
                        if (current.Length > 0 && currentWidth + pieceWidth > width)
                        {
                            lines.Add(current);
                            current = "";
                            currentWidth = 0;
                        }
                        current += piece;
                        currentWidth += pieceWidth;
                    }
                }
                lines.Add(current);
            }
            return lines;
        }

        /// <summary>The word's characters, a surrogate pair or a letter with its combining marks kept together.</summary>
        private static IEnumerable<string> Pieces(string word)
        {
            var enumerator = StringInfo.GetTextElementEnumerator(word);
            while (enumerator.MoveNext())
            {
                yield return enumerator.GetTextElement();
            }
        }
    }
}
