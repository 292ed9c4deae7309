using Atende.Core.Common;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Atende.Web.Infrastructure;

/// <summary>
/// Enums in the API's JSON: one of the declared names (any case), never a number, a numeric string or a comma-separated
/// combination. System.Text.Json's own converter reads <c>"Open,Done"</c> as <c>Done</c> (the two values OR-ed) even with
/// integers disallowed, so a typo could close a ticket. Flags enums keep the standard converter.
/// </summary>
public sealed class ApiEnumConverter : JsonConverterFactory
{
    public override bool CanConvert(Type typeToConvert) => typeToConvert.IsEnum && !typeToConvert.IsDefined(typeof(FlagsAttribute), false);

    public override JsonConverter CreateConverter(Type typeToConvert, JsonSerializerOptions options) =>
        (JsonConverter)Activator.CreateInstance(typeof(NameConverter<>).MakeGenericType(typeToConvert))!;

    private sealed class NameConverter<T> : JsonConverter<T> where T : struct, Enum
    {
        public override T Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            reader.TokenType == JsonTokenType.String && EnumNames.TryParse<T>(reader.GetString(), out var value)
                ? value
                : throw new JsonException($"Valor desconhecido; use um destes: {string.Join(", ", Enum.GetNames<T>())}.");

        public override void Write(Utf8JsonWriter writer, T value, JsonSerializerOptions options) => writer.WriteStringValue(value.ToString());
    }

    /// <summary>
    /// The OpenAPI document cannot see through a custom converter: it describes such an enum as the string of one of its
    /// names, as the standard converter's schema would.
    /// </summary>
    public static Task DescribeInOpenApi(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken ct)
    {
        var type = Nullable.GetUnderlyingType(context.JsonTypeInfo.Type) ?? context.JsonTypeInfo.Type;
        if (type.IsEnum && !type.IsDefined(typeof(FlagsAttribute), false))
        {
            schema.Type = Nullable.GetUnderlyingType(context.JsonTypeInfo.Type) is null ? JsonSchemaType.String : JsonSchemaType.String | JsonSchemaType.Null;
            schema.Enum = Enum.GetNames(type).Select(n => (JsonNode)JsonValue.Create(n)).ToList();
        }
        return Task.CompletedTask;
    }
}

/// <summary>
/// The same rule for enums in the query string (<c>?status=Open</c>): minimal APIs bind them with <c>Enum.TryParse</c>, which
/// also takes <c>3</c> and <c>Open,Done</c>. This filter refuses any value that is not one of the names, with a 400 naming the
/// parameter.
/// </summary>
public static class ApiEnumQuery
{
    public static TBuilder RequireEnumNames<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.AddEndpointFilterFactory((context, next) =>
        {
            var enums = context.MethodInfo.GetParameters()
                .Select(p => (p.Name!, Type: Nullable.GetUnderlyingType(p.ParameterType) ?? p.ParameterType))
                .Where(p => p.Type.IsEnum && !p.Type.IsDefined(typeof(FlagsAttribute), false))
                .ToList();
            if (enums.Count == 0)
            {
                return next;
            }
            return invocation =>
            {
                var query = invocation.HttpContext.Request.Query;
                foreach (var (name, type) in enums)
                {
                    if (query.TryGetValue(name, out var raw) && raw.Any(v => !EnumNames.IsName(type, v)))
                    {
                        throw new ValidationException(name, $"Valor desconhecido para {name}: use um destes: {string.Join(", ", Enum.GetNames(type))}.");
                    }
                }
                return next(invocation);
            };
        });
}
