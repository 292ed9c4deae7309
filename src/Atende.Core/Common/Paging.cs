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

    /// <summary>Decodes a cursor from a query string; a malformed one is a validation error on "after".</summary>
    public static Cursor? Decode(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }
        try
        {
            var parts = JsonSerializer.Deserialize<string[]>(Encoding.UTF8.GetString(Base64Url.DecodeFromChars(text)));
            if (parts is [var key, var id] && long.TryParse(id, System.Globalization.CultureInfo.InvariantCulture, out var parsed))
            {
                return new Cursor(key, parsed);
            }
        }
        catch (FormatException)
        {
        }
        catch (JsonException)
        {
        }
        throw new ValidationException("after", "Cursor de paginação inválido.");
    }
}
