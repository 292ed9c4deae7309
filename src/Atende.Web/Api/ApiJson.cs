using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using Atende.Core.Common;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.Extensions.Options;

namespace Atende.Web.Api;

/// <summary>
/// The one way the API reads a JSON body: a JSON content type, a well-formed UTF-8 object without duplicate keys,
/// whose every property is one of <typeparamref name="T"/>'s, of the right type. Anything else is a 400 naming the field
/// (<c>$</c> for the body as a whole), never a 500.
/// </summary>
public static class ApiJson
{
    /// <summary>The key under <c>errors</c> for a problem with the body as a whole (missing, not JSON, not an object).</summary>
    public const string BodyField = "$";

    public static JsonSerializerOptions Options(HttpContext context) =>
        context.RequestServices.GetRequiredService<IOptions<JsonOptions>>().Value.SerializerOptions;

    /// <summary>Reads the body as <typeparamref name="T"/>, also returning the raw object (to see which properties were sent).</summary>
    public static async Task<(T Value, JsonObject Raw)> Read<T>(HttpContext context)
    {
        var request = context.Request;
        if (!request.HasJsonContentType())
        {
            throw new ValidationException(BodyField, "Envie o corpo em JSON (Content-Type: application/json).");
        }
        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer, context.RequestAborted);
        if (buffer.Length == 0)
        {
            throw new ValidationException(BodyField, "Corpo da requisição vazio: envie um objeto JSON.");
        }
        var bytes = buffer.GetBuffer().AsMemory(0, (int)buffer.Length);
        JsonNode? node;
        try
        {
            node = JsonNode.Parse(bytes.Span);
        }
        catch (JsonException)
        {
            throw new ValidationException(BodyField, "JSON malformado: envie um objeto JSON bem formado, em UTF-8.");
        }
        if (node is not JsonObject raw)
        {
            throw new ValidationException(BodyField, "O corpo deve ser um objeto JSON.");
        }
        T value;
        try
        {
            // Strict on the typed read: duplicate keys, unknown properties, wrong types, invalid UTF-8 and lone surrogates all throw here.
            value = JsonSerializer.Deserialize<T>(bytes.Span, Options(context))!;
        }
        catch (JsonException e)
        {
            throw Invalid(e);
        }
        return (value, raw);
    }

    /// <summary>A body the serializer refused, as a validation error on the field its path names (pt-BR).</summary>
    public static ValidationException Invalid(JsonException e)
    {
        var path = e.Path ?? "";
        var field = path.Length > 2 ? path[2..] : BodyField;
        var message = e.Message switch
        {
            var m when m.StartsWith("Duplicate property", StringComparison.Ordinal) => $"Campo repetido: {field}.",
            var m when m.Contains("could not be mapped to any .NET member", StringComparison.Ordinal) => $"Campo desconhecido: {field}.",
            // Our converters (ApiEnumConverter) write pt-BR messages without a path; System.Text.Json's own are English and carry one.
            var m when !m.Contains("Path:", StringComparison.Ordinal) && !m.Contains(".NET", StringComparison.Ordinal) => m,
            _ when field == BodyField => "JSON inválido: o corpo deve ser um objeto JSON bem formado, em UTF-8.",
            _ => $"Valor inválido: tipo ou formato errado em {field}.",
        };
        return new ValidationException(field, message);
    }
}

/// <summary>
/// A request body read through <see cref="ApiJson"/>: a record that implements this is bound by the API from the JSON body
/// and described in the OpenAPI document as that record's schema.
/// </summary>
public interface IJsonBody<TSelf> : IEndpointParameterMetadataProvider where TSelf : class, IJsonBody<TSelf>
{
    public static async ValueTask<TSelf?> BindAsync(HttpContext context, ParameterInfo parameter) => (await ApiJson.Read<TSelf>(context)).Value;

    static void IEndpointParameterMetadataProvider.PopulateMetadata(ParameterInfo parameter, EndpointBuilder builder) =>
        builder.Metadata.Add(new JsonBodyMetadata(typeof(TSelf), MergePatch: false));
}

/// <summary>
/// A JSON merge-patch body (RFC 7396) typed as <typeparamref name="T"/>, whose every property is optional: it is read and
/// checked strictly against <typeparamref name="T"/> through <see cref="ApiJson"/>, then <see cref="ApplyTo"/> lays the
/// properties sent over the current values (absent: unchanged; null: cleared, where the field may be null).
/// </summary>
public sealed class MergePatch<T> : IEndpointParameterMetadataProvider where T : class
{
    private readonly JsonObject _sent;
    private readonly JsonSerializerOptions _options;

    private MergePatch(T value, JsonObject sent, JsonSerializerOptions options)
    {
        Value = value;
        _sent = sent;
        _options = options;
    }

    /// <summary>The body as <typeparamref name="T"/> (properties not sent have their defaults).</summary>
    public T Value { get; }

    public static async ValueTask<MergePatch<T>?> BindAsync(HttpContext context, ParameterInfo parameter)
    {
        var (value, raw) = await ApiJson.Read<T>(context);
        return new MergePatch<T>(value, raw, ApiJson.Options(context));
    }

    public static void PopulateMetadata(ParameterInfo parameter, EndpointBuilder builder) =>
        builder.Metadata.Add(new JsonBodyMetadata(typeof(T), MergePatch: true));

    /// <summary>The current values with the properties sent laid over them.</summary>
    public T ApplyTo(T current)
    {
        var merged = JsonSerializer.SerializeToNode(current, _options)!.AsObject();
        Merge(merged, _sent);
        try
        {
            return merged.Deserialize<T>(_options)!;
        }
        catch (JsonException e)
        {
            throw ApiJson.Invalid(e);
        }
    }

    /// <summary>
    /// RFC 7396: each property sent replaces the current one, except an object sent over a current object (a partner's
    /// <c>address</c>), which is merged the same way, so <c>{"address": {"number": "12"}}</c> keeps the rest of the address.
    /// </summary>
    private static void Merge(JsonObject target, JsonObject patch)
    {
        foreach (var (key, value) in patch)
        {
            var name = target.Select(p => p.Key).FirstOrDefault(k => string.Equals(k, key, StringComparison.OrdinalIgnoreCase)) ?? key;
            if (value is JsonObject nested && target[name] is JsonObject currentObject)
            {
                Merge(currentObject, nested);
            }
            else
            {
                target[name] = value?.DeepClone();
            }
        }
    }
}

/// <summary>
/// The JSON body an endpoint reads through <see cref="ApiJson"/>, for the OpenAPI document. (Not <c>AcceptsMetadata</c>: routing
/// would then answer a wrong Content-Type with a bare 415 before <see cref="ApiJson"/> can name the problem.)
/// </summary>
public sealed record JsonBodyMetadata(Type Type, bool MergePatch);

/// <summary>A multipart/form-data body, for the OpenAPI document: parts named <c>files</c> (the files) and these text fields.</summary>
public sealed record MultipartBodyMetadata(params string[] BooleanFields)
{
    public string[] TextFields { get; init; } = [];
}
