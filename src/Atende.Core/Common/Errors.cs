namespace Atende.Core.Common;

/// <summary>
/// A request refused because of its input. Errors are keyed by field (the API's camelCase name;
/// "" for the whole request) and carry pt-BR messages naming the rule. Pages show them next to
/// the fields; the API turns them into RFC 9457 problem details (400).
/// </summary>
public sealed class ValidationException : Exception
{
    public ValidationException(IReadOnlyDictionary<string, string[]> errors)
        : base(string.Join(" ", errors.SelectMany(e => e.Value))) => Errors = errors;

    public ValidationException(string field, string message)
        : this(new Dictionary<string, string[]> { [field] = [message] }) { }

    public ValidationException() : this("", "Dados inválidos.") { }
    public ValidationException(string message) : this("", message) { }
    public ValidationException(string message, Exception inner) : base(message, inner) => Errors = new Dictionary<string, string[]> { [""] = [message] };

    public IReadOnlyDictionary<string, string[]> Errors { get; }
}

/// <summary>Collects field errors and throws them all at once.</summary>
public sealed class Validation
{
    private readonly Dictionary<string, List<string>> _errors = [];

    public bool HasErrors => _errors.Count > 0;

    public void Add(string field, string message)
    {
        if (!_errors.TryGetValue(field, out var list))
        {
            _errors[field] = list = [];
        }
        if (!list.Contains(message))
        {
            list.Add(message);
        }
    }

    /// <summary>Required, trimmed text no longer than <paramref name="max"/>; returns the cleaned value.</summary>
    public string Text(string field, string label, string? value, int max, bool required = true)
    {
        var clean = Data.SearchText.Clean(value);
        if (required && IsBlank(clean))
        {
            Add(field, $"{label} é obrigatório.");
        }
        else if (clean.Length > max)
        {
            Add(field, $"{label} pode ter no máximo {max} caracteres.");
        }
        return clean;
    }

    /// <summary>
    /// True when <paramref name="text"/> shows nothing: empty, or only white space, control and format characters
    /// (zero-width space U+200B, joiners U+200C/U+200D, word joiner U+2060, BOM U+FEFF, NBSP…). A required field made of
    /// them is empty.
    /// </summary>
    public static bool IsBlank(string? text)
    {
        foreach (var c in text ?? "")
        {
            if (!char.IsWhiteSpace(c) && !char.IsControl(c) && char.GetUnicodeCategory(c) is not
                (System.Globalization.UnicodeCategory.Format or System.Globalization.UnicodeCategory.SpaceSeparator))
            {
                return false;
            }
        }
        return true;
    }

    public void ThrowIfAny()
    {
        if (HasErrors)
        {
            throw new ValidationException(_errors.ToDictionary(e => e.Key, e => e.Value.ToArray()));
        }
    }
}

/// <summary>The thing does not exist or the caller may not see it: both answer 404.</summary>
public sealed class NotFoundException : Exception
{
    public NotFoundException() : base("Não encontrado.") { }
    public NotFoundException(string message) : base(message) { }
    public NotFoundException(string message, Exception inner) : base(message, inner) { }
}

/// <summary>The caller may see the thing but not do this to it (403).</summary>
public sealed class ForbiddenException : Exception
{
    public ForbiddenException() : base("Você não tem permissão para esta ação.") { }
    public ForbiddenException(string message) : base(message) { }
    public ForbiddenException(string message, Exception inner) : base(message, inner) { }
}

/// <summary>The write was based on a stale version (API 412, page shows who changed it).</summary>
public sealed class StaleVersionException : Exception
{
    public StaleVersionException() : base("Este registro foi alterado por outra pessoa. Recarregue para ver a versão atual.") { }
    public StaleVersionException(string message) : base(message) { }
    public StaleVersionException(string message, Exception inner) : base(message, inner) { }
}

/// <summary>The request conflicts with the state of the thing (409), e.g. setup already done.</summary>
public sealed class ConflictException : Exception
{
    public ConflictException() : base("Conflito com o estado atual.") { }
    public ConflictException(string message) : base(message) { }
    public ConflictException(string message, Exception inner) : base(message, inner) { }
}

/// <summary>The caller is doing this too fast (429); the message says what to do.</summary>
public sealed class TooManyRequestsException : Exception
{
    public TooManyRequestsException() : base("Muitas tentativas seguidas. Aguarde um instante e tente de novo.") { }
    public TooManyRequestsException(string message) : base(message) { }
    public TooManyRequestsException(string message, Exception inner) : base(message, inner) { }
}
