using System.Globalization;
using Atende.Core.Common;

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
}

/// <summary>
/// A POST that takes <c>If-Match</c> (every PATCH does, required), for the OpenAPI document: required ones answer 428 without it.
/// </summary>
public sealed record IfMatchMetadata(bool Required);

/// <summary>An update without If-Match (428).</summary>
public sealed class PreconditionRequiredException : Exception
{
    public PreconditionRequiredException() : base("Envie o cabeçalho If-Match com o ETag da versão que você leu.") { }
    public PreconditionRequiredException(string message) : base(message) { }
    public PreconditionRequiredException(string message, Exception inner) : base(message, inner) { }
}
