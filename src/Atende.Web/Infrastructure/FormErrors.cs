using Microsoft.AspNetCore.Mvc.ModelBinding;

namespace Atende.Web.Infrastructure;

/// <summary>One line of a form's error summary: the message and the id of the field it links to (null: the form as a whole).</summary>
public sealed record FormError(string? FieldId, string Message);

/// <summary>The lines of <c>Pages/Shared/_ErrorSummary.cshtml</c>, read from ModelState in the order the fields appear on the form.</summary>
public static class FormErrors
{
    /// <param name="fields">ModelState key → id of the field on the page, in the form's order; keys not listed come last, without a link.</param>
    /// <param name="prefix">When set, keys not listed count only if they start with it or are the form's own (""): a page with
    /// several forms (the ticket page) keeps another form's errors out of this summary.</param>
    public static List<FormError> InOrder(ModelStateDictionary state, IReadOnlyList<(string Key, string FieldId)> fields, string? prefix = null)
    {
        var errors = new List<FormError>();
        foreach (var (key, fieldId) in fields)
        {
            if (state.TryGetValue(key, out var entry))
            {
                errors.AddRange(entry.Errors.Select(e => new FormError(fieldId, e.ErrorMessage)));
            }
        }
        var listed = fields.Select(f => f.Key).ToHashSet(StringComparer.Ordinal);
        foreach (var (key, entry) in state)
        {
            if (!listed.Contains(key) && (prefix is null || key.Length == 0 || key.StartsWith(prefix, StringComparison.Ordinal)))
            {
                errors.AddRange(entry.Errors.Select(e => new FormError(null, e.ErrorMessage)));
            }
        }
        return errors.Where(e => e.Message.Length > 0).DistinctBy(e => (e.FieldId, e.Message)).ToList();
    }
}
