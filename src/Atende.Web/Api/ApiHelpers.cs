using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Atende.Core.Common;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;

namespace Atende.Web.Api;

public static class ApiHelpers
{
    /// <summary>
    /// The version an update is based on, from If-Match: 428 without it; <c>*</c> is <see cref="Versions.Any"/>
    /// (whatever version is current).
    /// </summary>
    public static int RequireIfMatch(HttpRequest request)
    {
        var header = request.Headers.IfMatch.ToString();
        if (string.IsNullOrWhiteSpace(header))
        {
            throw new PreconditionRequiredException();
        }
        var value = header.Trim();
        if (value == "*")
        {
            return Versions.Any;
        }
        if (value.StartsWith("W/", StringComparison.Ordinal))
        {
            value = value[2..];
        }
        value = value.Trim('"');
        return int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var version)
            ? version
            : throw new StaleVersionException("If-Match não corresponde à versão atual.");
    }

    public static void SetETag(HttpResponse response, int version) => response.Headers.ETag = $"\"{version}\"";

    /// <summary>
    /// Applies a JSON merge-patch body to the current write model: properties present in the body
    /// replace the current ones; unknown properties are refused (400).
    /// </summary>
    public static T Merge<T>(HttpContext context, T current, JsonObject body, params string[] ignored)
    {
        var options = context.RequestServices.GetRequiredService<IOptions<JsonOptions>>().Value.SerializerOptions;
        var merged = JsonSerializer.SerializeToNode(current, options)!.AsObject();
        foreach (var (key, value) in body)
        {
            if (ignored.Contains(key, StringComparer.Ordinal))
            {
                continue;
            }
            merged[key] = value?.DeepClone();
        }
        try
        {
            return merged.Deserialize<T>(options) ?? throw new ValidationException("Corpo da requisição vazio.");
        }
        catch (JsonException e)
        {
            var field = e.Path?.TrimStart('$', '.') ?? "";
            throw new ValidationException(field, field.Length == 0 ? "JSON inválido." : $"Campo desconhecido ou de tipo inválido: {field}.");
        }
    }

    public static bool Flag(JsonObject body, string name) =>
        body.TryGetPropertyValue(name, out var node) && node is JsonValue v && v.TryGetValue<bool>(out var b) && b;
}

/// <summary>An update without If-Match (428).</summary>
public sealed class PreconditionRequiredException : Exception
{
    public PreconditionRequiredException() : base("Envie o cabeçalho If-Match com o ETag da versão que você leu.") { }
    public PreconditionRequiredException(string message) : base(message) { }
    public PreconditionRequiredException(string message, Exception inner) : base(message, inner) { }
}
