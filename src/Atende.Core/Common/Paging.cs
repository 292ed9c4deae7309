using System.Buffers.Text;
using System.Text;
using System.Text.Json;

namespace Atende.Core.Common;

/// <summary>One page of a keyset-paginated list; <see cref="Next"/> is the cursor of the next page, null at the end.</summary>
public sealed record Page<T>(IReadOnlyList<T> Items, string? Next)
{
    /// <summary>The same page with each item turned into another (the cursor stays).</summary>
    public Page<TOut> Map<TOut>(Func<T, TOut> map) => new(Items.Select(map).ToList(), Next);
}

/// <summary>An opaque keyset cursor: the sort key and id of the last row of a page.</summary>
public sealed record Cursor(string Key, long Id)
{
    /// <summary>The cursor of a list ordered by id alone (no sort key).</summary>
    public static Cursor ForId(long id) => new("", id);

    public string Encode() => Base64Url.EncodeToString(JsonSerializer.SerializeToUtf8Bytes(new[] { Key, Id.ToString(System.Globalization.CultureInfo.InvariantCulture) }));

    private const string Invalid = "Cursor de paginação inválido.";

    /// <summary>The one way a list reads its <c>after</c> parameter: a malformed cursor is a validation error on "after".</summary>
    public static ValidationException InvalidCursor() => new("after", Invalid);

    /// <summary>
    /// Decodes a cursor from a query string, strictly: base64url of <c>["key","id"]</c>, a key of printable text (no
    /// control characters such as NUL, which PostgreSQL refuses, no lone surrogates) and an id of digits only. Anything else is
    /// a validation error on "after".
    /// </summary>
    public static Cursor? Decode(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }
        try
        {
            var json = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(Base64Url.DecodeFromChars(text));
            if (JsonSerializer.Deserialize<string?[]>(json) is [{ } key, { } id]
                && long.TryParse(id, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var parsed)
                && IsPrintable(key))
            {
                return new Cursor(key, parsed);
            }
        }
        catch (Exception e) when (e is FormatException or JsonException or ArgumentException)
        {
        }
        throw InvalidCursor();
    }

    /// <summary>A cursor of a list ordered by id alone (<see cref="ForId"/>): its key is empty; another list's cursor is invalid.</summary>
    public static long? DecodeId(string? text) => Decode(text)?.IdAlone();

    /// <summary>The id of a cursor of a list ordered by id alone; a cursor with a sort key (another list's) is invalid.</summary>
    public long IdAlone() => Key.Length == 0 ? Id : throw InvalidCursor();

    /// <summary>The key of a cursor of a list ordered by an instant (UTC ticks); any other key is invalid.</summary>
    public DateTimeOffset KeyAsInstant() =>
        long.TryParse(Key, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var ticks)
            && ticks <= DateTimeOffset.MaxValue.UtcTicks
            ? new DateTimeOffset(ticks, TimeSpan.Zero)
            : throw InvalidCursor();

    /// <summary>The key of a cursor of a list ordered by a whole number; any other key is invalid.</summary>
    public int KeyAsInt() =>
        int.TryParse(Key, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var number)
            ? number
            : throw InvalidCursor();

    /// <summary>The key of a cursor of a list ordered by an amount; any other key (or one out of decimal's range) is invalid.</summary>
    public decimal KeyAsDecimal() =>
        decimal.TryParse(Key, System.Globalization.NumberStyles.AllowLeadingSign | System.Globalization.NumberStyles.AllowDecimalPoint,
            System.Globalization.CultureInfo.InvariantCulture, out var amount)
            ? amount
            : throw InvalidCursor();

    private static bool IsPrintable(string key)
    {
        for (var i = 0; i < key.Length; i++)
        {
            var c = key[i];
            if (char.IsControl(c))
            {
                return false;
            }
            if (char.IsHighSurrogate(c) && i + 1 < key.Length && char.IsLowSurrogate(key[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(c))
            {
                return false;
            }
        }
        return true;
    }
}
