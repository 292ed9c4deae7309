using System.Net;
using System.Text.RegularExpressions;
using Atende.Core.Common;

namespace Atende.Core.Email;

/// <summary>A placeholder templates may use, written <c>{{Name}}</c>, with what it stands for (pt-BR, shown to admins).</summary>
public sealed record Placeholder(string Name, string Description)
{
    public string Token => "{{" + Name + "}}";
}

/// <summary>The values of the placeholders for one e-mail: a ticket's (or the preview's samples).</summary>
/// <param name="Link">The ticket's address; null when no trusted address is known (then the e-mail says how to find the ticket).</param>
/// <param name="InteractionHtml">The interaction's sanitized HTML; only the "Salvar e notificar" template uses it.</param>
public sealed record TemplateValues(string ContactName, string PartnerName, string Reference, string Title, string Status, string AssigneeName,
    string? Link, string CompanyName, string UserName, string? InteractionHtml = null)
{
    /// <summary>The value of a placeholder name ("contato.nome"); null for a name that is not one.</summary>
    public string? Of(string placeholder) => placeholder switch
    {
        Placeholders.ContactName => ContactName,
        Placeholders.PartnerName => PartnerName,
        Placeholders.Reference => Reference,
        Placeholders.Title => Title,
        Placeholders.Status => Status,
        Placeholders.AssigneeName => AssigneeName,
        Placeholders.Link => Link ?? Placeholders.NoLink(Reference),
        Placeholders.CompanyName => CompanyName,
        Placeholders.UserName => UserName,
        Placeholders.Interaction => InteractionHtml ?? "",
        _ => null,
    };
}

/// <summary>An e-mail made from a template: the subject (with the ticket's bracketed reference), sanitized HTML and its plain text.</summary>
public sealed record RenderedEmail(string Subject, string Html, string Text);

/// <summary>
/// The placeholders of e-mail templates: which exist, how a template's text is checked, and how it is filled in. Values are
/// HTML-escaped in the body, except <c>{{interacao}}</c> (already sanitized HTML), and the result is sanitized again, so no
/// value can add markup or a <c>javascript:</c> link. The subject takes the values as they are (it is plain text).
/// </summary>
public static partial class Placeholders
{
    public const string ContactName = "contato.nome";
    public const string PartnerName = "parceiro.nome";
    public const string Reference = "atendimento.referencia";
    public const string Title = "atendimento.titulo";
    public const string Status = "atendimento.situacao";
    public const string AssigneeName = "atendimento.responsavel";
    public const string Link = "link";
    public const string CompanyName = "empresa.nome";
    public const string UserName = "usuario.nome";
    public const string Interaction = "interacao";

    /// <summary>More than this many placeholders in one field is refused, so a rendered e-mail always fits the outbox.</summary>
    public const int MaxPerField = 100;

    public static readonly IReadOnlyList<Placeholder> All =
    [
        new(ContactName, "Nome do contato do solicitante (ou da entidade, se o atendimento não tiver contato)"),
        new(PartnerName, "Nome da entidade (cliente) do atendimento"),
        new(Reference, "Referência do atendimento, ex.: SUP-12"),
        new(Title, "Título do atendimento"),
        new(Status, "Situação atual do atendimento, ex.: Analisando"),
        new(AssigneeName, "Nome do responsável pelo atendimento (vazio quando não há)"),
        new(Link, "Endereço do atendimento no Atende (no e-mail de confirmação do portal, o endereço do pedido no portal)"),
        new(CompanyName, "Nome da sua empresa"),
        new(UserName, "Nome de quem age: quem muda a situação, notifica ou escreve a interação"),
        new(Interaction, "O texto da interação (só nos e-mails de \"Salvar e notificar\", obrigatório nele, e de mensagem do portal)"),
    ];

    /// <summary>The placeholders a template of <paramref name="purpose"/> may use in its body.</summary>
    public static IReadOnlyList<Placeholder> For(EmailTemplatePurpose purpose) =>
        TakesInteraction(purpose) ? All : All.Where(p => p.Name != Interaction).ToList();

    /// <summary>The templates whose e-mail carries a message: "Salvar e notificar", the assignee's portal message and the chat's missed messages.</summary>
    private static bool TakesInteraction(EmailTemplatePurpose purpose) =>
        purpose is EmailTemplatePurpose.Interaction or EmailTemplatePurpose.PortalMessage or EmailTemplatePurpose.ChatMissed;

    /// <summary>The pt-BR problems of a subject or body: unknown, misplaced or malformed placeholders; none when it is fine.</summary>
    /// <param name="isBody">The body (HTML) of the template, where <c>{{interacao}}</c> belongs for the Interaction purpose.</param>
    public static List<string> Problems(string text, EmailTemplatePurpose purpose, bool isBody)
    {
        var problems = new List<string>();
        var tokens = Token().Matches(text);
        if (tokens.Count > MaxPerField)
        {
            problems.Add($"Use no máximo {MaxPerField} marcadores.");
        }
        foreach (var name in tokens.Select(NameOf).Distinct())
        {
            if (name == Interaction && !(isBody && TakesInteraction(purpose)))
            {
                problems.Add(isBody
                    ? "O marcador {{interacao}} só pode ser usado nos modelos dos e-mails de \"Salvar e notificar\", de mensagem do portal e do chat."
                    : "O marcador {{interacao}} não pode ser usado no assunto; ele vai no corpo do e-mail.");
            }
            else if (All.All(p => p.Name != name))
            {
                problems.Add($"Marcador desconhecido: {{{{{Shorten(name)}}}}}. Use um dos marcadores da lista.");
            }
        }
        var interactions = tokens.Count(t => NameOf(t) == Interaction);
        if (isBody && TakesInteraction(purpose))
        {
            if (interactions == 0 && purpose == EmailTemplatePurpose.Interaction)
            {
                problems.Add("Este modelo precisa do marcador {{interacao}}, no lugar onde entra o texto da interação.");
            }
            else if (interactions > 1)
            {
                problems.Add("O marcador {{interacao}} pode aparecer uma única vez.");
            }
        }
        var rest = Token().Replace(text, "");
        var open = rest.IndexOf("{{", StringComparison.Ordinal);
        var close = rest.IndexOf("}}", StringComparison.Ordinal);
        if (open >= 0)
        {
            problems.Add($"Marcador malformado: \"{Shorten(rest[open..])}\". Escreva os marcadores entre chaves duplas, como {{{{contato.nome}}}}.");
        }
        else if (close >= 0)
        {
            problems.Add($"Marcador malformado: \"{Shorten(rest[..(close + 2)], fromEnd: true)}\". Escreva os marcadores entre chaves duplas, como {{{{contato.nome}}}}.");
        }
        return problems;
    }

    /// <summary>What <c>{{link}}</c> says when no trusted address of the Atende is known: how to find the ticket instead.</summary>
    public static string NoLink(string reference) => "abra o Atende e procure o atendimento " + reference;

    /// <summary>
    /// Fills a checked template in: the subject starts with the bracketed reference replies are matched on. Without a link
    /// (<see cref="TemplateValues.Link"/> null), a link to <c>{{link}}</c> becomes the sentence of <see cref="NoLink"/>.
    /// </summary>
    public static RenderedEmail Render(string subject, string body, TemplateValues values)
    {
        if (values.Link is null)
        {
            var sentence = NoLink(values.Reference);
            body = LinkAnchor().Replace(body, WebUtility.HtmlEncode(char.ToUpperInvariant(sentence[0]) + sentence[1..] + "."));
        }
        // Saved templates hold only known placeholders; anything else would stay as typed rather than fail the e-mail.
        var html = RichText.Sanitize(Token().Replace(body, m =>
        {
            var name = NameOf(m);
            return name == Interaction ? values.InteractionHtml ?? "" : WebUtility.HtmlEncode(values.Of(name) ?? m.Value);
        }));
        return new RenderedEmail(Subject(subject, values), html, RichText.EmailText(html));
    }

    /// <summary>The rendered subject on one line, "[ALIAS-n] " in front unless it already holds it, at most the outbox's length.</summary>
    private static string Subject(string subject, TemplateValues values)
    {
        var text = Data.SearchText.Clean(Token().Replace(subject, m => values.Of(NameOf(m)) ?? m.Value));
        var tag = "[" + values.Reference + "]";
        if (!text.Contains(tag, StringComparison.OrdinalIgnoreCase))
        {
            text = (tag + " " + text).TrimEnd();
        }
        return text.Length <= EmailOutbox.MaxSubjectLength ? text : text[..(EmailOutbox.MaxSubjectLength - 1)] + "…";
    }

    /// <summary>"{{ Contato.Nome }}" → "contato.nome": spaces around the name and case are tolerated.</summary>
    private static string NameOf(Match token) => token.Groups[1].Value.Trim().ToLowerInvariant();

    /// <summary>A piece of the text to quote in a message: without HTML tags, on one line, at most 40 characters.</summary>
    private static string Shorten(string text, bool fromEnd = false)
    {
        var line = Data.SearchText.Clean(HtmlTag().Replace(text, ""));
        return line.Length <= 40 ? line : fromEnd ? "…" + line[^40..] : line[..40] + "…";
    }

    [GeneratedRegex(@"\{\{([^{}]*)\}\}")]
    private static partial Regex Token();

    [GeneratedRegex("<[^>]*>")]
    private static partial Regex HtmlTag();

    /// <summary>A link whose address is <c>{{link}}</c>, with its text.</summary>
    [GeneratedRegex(@"<a\b[^>]*\bhref\s*=\s*[""']\s*\{\{\s*link\s*\}\}\s*[""'][^>]*>.*?</a\s*>", RegexOptions.IgnoreCase | RegexOptions.Singleline)]
    private static partial Regex LinkAnchor();
}
