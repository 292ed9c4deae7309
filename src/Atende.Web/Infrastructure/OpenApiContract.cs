using System.Globalization;
using System.Reflection;
using System.Text.Json.Nodes;
using Atende.Web.Api;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Atende.Web.Infrastructure;

/// <summary>
/// What the OpenAPI document (<c>/openapi/v1.json</c>) says beyond what ASP.NET Core infers, by convention for every operation:
/// <c>operationId</c> <c>feature_action</c>, a summary, one tag per feature, the bearer scheme, the problem+json errors, the
/// <c>If-Match</c>/<c>ETag</c> headers, the JSON and multipart bodies, bounded <c>limit</c>, money as <c>number/decimal</c> and
/// short schema names. docs/api.md ("Conventions") describes the result.
/// </summary>
public static class OpenApiContract
{
    public const string BearerScheme = "bearer";
    private const string ProblemJson = "application/problem+json";

    public static void Configure(OpenApiOptions options)
    {
        options.CreateSchemaReferenceId = SchemaReferenceId;
        options.AddSchemaTransformer(ApiEnumConverter.DescribeInOpenApi);
        options.AddSchemaTransformer(DescribeNumbers);
        options.AddOperationTransformer(DescribeOperation);
        options.AddDocumentTransformer(DescribeDocument);
    }

    /// <summary>Short names: <c>TicketDto</c> is <c>Ticket</c>, <c>ItemList&lt;TicketDto&gt;</c> is <c>TicketList</c>; anonymous types stay inline.</summary>
    private static string? SchemaReferenceId(System.Text.Json.Serialization.Metadata.JsonTypeInfo info) =>
        IsList(info.Type)
            ? SchemaName(info.Type)
            : OpenApiOptions.CreateDefaultSchemaReferenceId(info) is { } id && !id.Contains("AnonymousType", StringComparison.Ordinal) ? Short(id) : null;

    private static bool IsList(Type type) => type.IsGenericType && (type.GetGenericTypeDefinition() == typeof(ItemList<>) || type.GetGenericTypeDefinition() == typeof(CountedList<>)
        || type.GetGenericTypeDefinition() == typeof(Core.Common.Page<>));

    public static string SchemaName(Type type) => IsList(type)
        ? Short(type.GetGenericArguments()[0].Name) + "List"
        : Short(type.Name);

    /// <summary>Without the C# suffixes a client has no use for: TicketDto, ImapView, InboundRow are Ticket, Imap, Inbound.</summary>
    private static string Short(string name) =>
        new[] { "Dto", "View", "Row" }.FirstOrDefault(s => name.EndsWith(s, StringComparison.Ordinal) && name.Length > s.Length) is { } suffix ? name[..^suffix.Length] : name;

    /// <summary>Ids, versions and counts are plain integers; money (<c>decimal</c>) is <c>number</c>, format <c>decimal</c>.</summary>
    private static Task DescribeNumbers(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken ct)
    {
        var type = Nullable.GetUnderlyingType(context.JsonTypeInfo.Type) ?? context.JsonTypeInfo.Type;
        var nullable = Nullable.GetUnderlyingType(context.JsonTypeInfo.Type) is not null;
        var element = type.IsArray ? type.GetElementType() : type.IsGenericType && type.GetGenericArguments() is [var only] && typeof(System.Collections.IEnumerable).IsAssignableFrom(type) ? only : null;
        if (element is { IsEnum: true } && !element.IsDefined(typeof(FlagsAttribute), false) && schema.Items is null)
        {
            // The enum's custom converter hides the items from the schema exporter.
            schema.Items = new OpenApiSchema { Type = JsonSchemaType.String, Enum = Enum.GetNames(element).Select(n => (JsonNode)JsonValue.Create(n)).ToList() };
        }
        if (context.JsonTypeInfo.Kind == System.Text.Json.Serialization.Metadata.JsonTypeInfoKind.Object)
        {
            MarkOmittedWhenNull(schema, context.JsonTypeInfo);
        }
        if (type == typeof(decimal))
        {
            schema.Type = nullable ? JsonSchemaType.Number | JsonSchemaType.Null : JsonSchemaType.Number;
            schema.Format = "decimal";
            schema.Pattern = null;
        }
        else if (type == typeof(long) || type == typeof(int))
        {
            schema.Type = nullable ? JsonSchemaType.Integer | JsonSchemaType.Null : JsonSchemaType.Integer;
            schema.Format = type == typeof(long) ? "int64" : "int32";
            schema.Pattern = null;
        }
        return Task.CompletedTask;
    }

    /// <summary>A property left out of the JSON when null (e.g. the agenda's colours, a ticket's <c>email</c>) is not required.</summary>
    private static void MarkOmittedWhenNull(OpenApiSchema schema, System.Text.Json.Serialization.Metadata.JsonTypeInfo info)
    {
        foreach (var property in info.Properties)
        {
            var ignore = property.AttributeProvider?.GetCustomAttributes(typeof(System.Text.Json.Serialization.JsonIgnoreAttribute), true)
                .OfType<System.Text.Json.Serialization.JsonIgnoreAttribute>().FirstOrDefault();
            if (ignore?.Condition != System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)
            {
                continue;
            }
            schema.Required?.Remove(property.Name);
            if (schema.Properties is { } properties && properties.TryGetValue(property.Name, out var found) && found is OpenApiSchema described)
            {
                described.Description = "Omitted when null.";
            }
        }
    }

    private static Task DescribeDocument(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken ct)
    {
        document.Info.Title = "Atende API";
        document.Info.Description = "REST API of Atende (see docs/api.md). Send `Authorization: Bearer <token>` (POST /api/v1/tokens).";
        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
        document.Components.SecuritySchemes[BearerScheme] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.Http, Scheme = "bearer", Description = "A personal API token (POST /api/v1/tokens).",
        };
        var tags = document.Paths.Values.SelectMany(p => p.Operations?.Values.AsEnumerable() ?? []).SelectMany(o => o.Tags ?? new HashSet<OpenApiTagReference>())
            .Select(t => t.Name).OfType<string>().Distinct().Order(StringComparer.Ordinal);
        document.Tags = new HashSet<OpenApiTag>(tags.Select(t => new OpenApiTag { Name = t, Description = TagDescription(t) }));
        // The paths hold /api/v1: the server is wherever the document was read from.
        document.Servers = [new OpenApiServer { Url = "/" }];
        return Task.CompletedTask;
    }

    private static string TagDescription(string tag) => tag switch
    {
        "Company" => "The company's settings.",
        "E-mail" => "Outgoing e-mail: SMTP settings and the outbox.",
        "Inbox" => "Replies by e-mail: IMAP settings and the messages read.",
        "Templates" => "E-mail templates.",
        "Lists" => "The settings lists: channels, opportunity types, categories, catalog items.",
        _ => $"{tag}.",
    };

    /// <summary>The Settings paths split into features a client can find: Company, E-mail, Inbox, Templates, Lists.</summary>
    private static string? FeatureTag(string path) => path.Split('/', StringSplitOptions.RemoveEmptyEntries) switch
    {
        ["settings", "company", ..] => "Company",
        ["settings", "smtp", ..] or ["outbox", ..] => "E-mail",
        ["settings", "imap", ..] or ["inbound-emails", ..] => "Inbox",
        ["settings", "email-templates", ..] or ["tickets", _, "email-templates" or "render-template"] => "Templates",
        ["settings", ..] => "Lists",
        _ => null,
    };

    private static async Task DescribeOperation(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken ct)
    {
        var description = context.Description;
        var metadata = description.ActionDescriptor.EndpointMetadata;
        var path = (description.RelativePath ?? "").Split('?')[0];
        var relative = path.StartsWith("api/v1/", StringComparison.Ordinal) ? path["api/v1/".Length..] : path;
        var method = description.HttpMethod ?? "GET";
        var document = context.Document!;

        if (FeatureTag(relative) is { } tag)
        {
            operation.Tags = new HashSet<OpenApiTagReference> { new(tag, document) };
        }
        operation.OperationId ??= OperationId(method, relative);
        operation.Summary ??= Summary(operation.OperationId);

        var anonymous = metadata.OfType<IAllowAnonymous>().Any();
        operation.Security = anonymous
            ? []
            : [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(BearerScheme, document)] = [] }];

        await DescribeBody(operation, context, metadata, ct);
        DescribeLimit(operation);

        operation.Responses ??= [];
        var problem = await Component(context, typeof(ProblemDetails), ct);
        var validation = await Component(context, typeof(HttpValidationProblemDetails), ct);
        var endsWithId = relative.EndsWith('}');
        var writes = method is "POST" or "PUT" or "PATCH" or "DELETE";
        var ifMatch = method == "PATCH" ? new IfMatchMetadata(Required: true) : metadata.OfType<IfMatchMetadata>().FirstOrDefault();

        AddProblem(operation, "400", "Invalid input: `errors` names each field (pt-BR messages).", validation);
        if (!anonymous)
        {
            AddProblem(operation, "401", "No valid bearer token.", problem);
            AddProblem(operation, "403", "The caller's role may not do this.", problem);
        }
        if (relative.Contains('{', StringComparison.Ordinal))
        {
            AddProblem(operation, "404", "Not found, or not the caller's to see.", problem);
        }
        if (writes && !anonymous)
        {
            var duplicates = relative.StartsWith("partners", StringComparison.Ordinal) && method is "POST" or "PATCH"
                ? await Component(context, typeof(DuplicateProblem), ct)
                : problem;
            AddProblem(operation, "409", duplicates == problem
                ? "Conflicts with the resource's state."
                : "A possible duplicate: `duplicates` lists them; repeat with `confirmDuplicates: true`.", duplicates);
        }
        if (relative == "setup")
        {
            AddProblem(operation, "409", "Setup was already done.", problem);
        }
        if (ifMatch is not null)
        {
            operation.Parameters ??= [];
            operation.Parameters.Add(new OpenApiParameter
            {
                Name = "If-Match", In = ParameterLocation.Header, Required = ifMatch.Required,
                Description = "The ETag of the version read (`\"<version>\"`, or `*`).", Schema = new OpenApiSchema { Type = JsonSchemaType.String },
            });
            AddProblem(operation, "412", "The resource changed since the version in If-Match.", problem);
            if (ifMatch.Required)
            {
                AddProblem(operation, "428", "If-Match is required.", problem);
            }
        }
        if (metadata.OfType<MultipartBodyMetadata>().Any())
        {
            AddProblem(operation, "413", "The upload is larger than the server accepts.", problem);
        }
        if (relative == "tokens" && method == "POST")
        {
            AddProblem(operation, "401", "Wrong e-mail or password.", problem);
            AddProblem(operation, "429", "The account is locked for a while after repeated failures, or too many attempts came from this address.", problem);
        }
        if (System.Text.RegularExpressions.Regex.IsMatch(relative, @"^tickets/\{id[^}]*\}/chat/?$") && method == "POST")
        {
            AddProblem(operation, "429", "Too many messages from this user: a burst of 10, then 5 a second.", problem);
        }
        if (metadata.OfType<Microsoft.AspNetCore.RateLimiting.EnableRateLimitingAttribute>().Any())
        {
            AddProblem(operation, "429", "Too many requests from this address: try again in a minute.", problem);
        }
        if ((method == "GET" && endsWithId) || method == "PATCH" || ifMatch is not null)
        {
            foreach (var (status, response) in operation.Responses.Where(r => r.Key.StartsWith('2')))
            {
                if (response is OpenApiResponse ok && status != "204")
                {
                    ok.Headers ??= new Dictionary<string, IOpenApiHeader>();
                    ok.Headers["ETag"] = new OpenApiHeader
                    {
                        Description = "The version of the resource, for If-Match.", Schema = new OpenApiSchema { Type = JsonSchemaType.String },
                    };
                }
            }
        }
    }

    private static void AddProblem(OpenApiOperation operation, string status, string description, IOpenApiSchema schema) =>
        operation.Responses!.TryAdd(status, new OpenApiResponse
        {
            Description = description,
            Content = new Dictionary<string, OpenApiMediaType> { [ProblemJson] = new() { Schema = schema } },
        });

    /// <summary>A named schema in components, referenced.</summary>
    private static async Task<IOpenApiSchema> Component(OpenApiOperationTransformerContext context, Type type, CancellationToken ct)
    {
        var name = SchemaName(type);
        var document = context.Document!;
        document.Components ??= new OpenApiComponents();
        document.Components.Schemas ??= new Dictionary<string, IOpenApiSchema>();
        if (!document.Components.Schemas.ContainsKey(name))
        {
            document.Components.Schemas[name] = await context.GetOrCreateSchemaAsync(type, null, ct);
        }
        return new OpenApiSchemaReference(name, document);
    }

    /// <summary>
    /// A request body's schema in components. A property a client may leave out is not <c>required</c>: in a create or
    /// action body the nullable ones (absent reads as null), in a merge patch every one — that schema is the body type's own
    /// named <c>…Patch</c> (<c>TicketWrite</c> → <c>TicketPatch</c>), as the same type also serves the create.
    /// </summary>
    private static async Task<IOpenApiSchema> BodyComponent(OpenApiOperationTransformerContext context, Type type, bool mergePatch, CancellationToken ct)
    {
        var name = mergePatch ? PatchName(type) : SchemaName(type);
        var document = context.Document!;
        document.Components ??= new OpenApiComponents();
        document.Components.Schemas ??= new Dictionary<string, IOpenApiSchema>();
        if (!document.Components.Schemas.ContainsKey(name))
        {
            var schema = (OpenApiSchema)(await context.GetOrCreateSchemaAsync(type, null, ct)).CreateShallowCopy();
            if (schema.Required is { } required)
            {
                schema.Required = new HashSet<string>(required.Where(p => !mergePatch && schema.Properties?.TryGetValue(p, out var property) == true && !AllowsNull(property)));
            }
            // The serializer inlines a body's enum properties and the records of its lists; a client is better served by named
            // ones (StatusWrite.status is TicketStatus, ContactWrite.phones a list of PhoneWrite), not one type per use.
            var properties = schema.Properties is null ? null : new Dictionary<string, IOpenApiSchema>(schema.Properties);
            foreach (var property in type.GetProperties())
            {
                var json = System.Text.Json.JsonNamingPolicy.CamelCase.ConvertName(property.Name);
                if (properties is null || !properties.TryGetValue(json, out var current))
                {
                    continue;
                }
                if (property.PropertyType.IsEnum && !property.PropertyType.IsDefined(typeof(FlagsAttribute), false))
                {
                    properties[json] = await Component(context, property.PropertyType, ct);
                }
                else if (Nullable.GetUnderlyingType(property.PropertyType) is { IsEnum: true } optional && !optional.IsDefined(typeof(FlagsAttribute), false))
                {
                    properties[json] = new OpenApiSchema { OneOf = [await Component(context, optional, ct), new OpenApiSchema { Type = JsonSchemaType.Null }] };
                }
                else if (property.PropertyType is { IsClass: true } nested && nested != typeof(string) && ListElement(nested) is null)
                {
                    // A record inside a body (a partner's address): named too, and null where the property may be null.
                    var component = await BodyComponent(context, nested, mergePatch: false, ct);
                    properties[json] = new NullabilityInfoContext().Create(property).WriteState == NullabilityState.Nullable
                        ? new OpenApiSchema { OneOf = [new OpenApiSchema { Type = JsonSchemaType.Null }, component] }
                        : component;
                }
                else if (ListElement(property.PropertyType) is { IsClass: true } element && element != typeof(string) && current is OpenApiSchema list)
                {
                    var named = (OpenApiSchema)list.CreateShallowCopy();
                    named.Items = await BodyComponent(context, element, mergePatch: false, ct);
                    properties[json] = named;
                }
            }
            schema.Properties = properties;
            document.Components.Schemas[name] = schema;
        }
        return new OpenApiSchemaReference(name, document);
    }

    private static Type? ListElement(Type type) =>
        type.IsArray ? type.GetElementType()
        : type.IsGenericType && type != typeof(string) && typeof(System.Collections.IEnumerable).IsAssignableFrom(type) && type.GetGenericArguments() is [var element] ? element
        : null;

    private static string PatchName(Type type) => type.Name.EndsWith("Patch", StringComparison.Ordinal)
        ? type.Name
        : (type.Name.EndsWith("Write", StringComparison.Ordinal) ? type.Name[..^"Write".Length] : type.Name) + "Patch";

    private static bool AllowsNull(IOpenApiSchema schema) =>
        schema.Type is { } type && type.HasFlag(JsonSchemaType.Null) || (schema.OneOf?.Any(AllowsNull) ?? false) || (schema.AnyOf?.Any(AllowsNull) ?? false);

    private static async Task DescribeBody(OpenApiOperation operation, OpenApiOperationTransformerContext context, IList<object> metadata, CancellationToken ct)
    {
        var json = metadata.OfType<JsonBodyMetadata>().FirstOrDefault();
        var multipart = metadata.OfType<MultipartBodyMetadata>().FirstOrDefault();
        if (json is null && multipart is null)
        {
            return;
        }
        var content = new Dictionary<string, OpenApiMediaType>();
        if (json is not null)
        {
            var schema = await BodyComponent(context, json.Type, json.MergePatch, ct);
            if (json.MergePatch)
            {
                content["application/merge-patch+json"] = new() { Schema = schema };
            }
            content["application/json"] = new() { Schema = schema };
        }
        if (multipart is not null)
        {
            var properties = new Dictionary<string, IOpenApiSchema>
            {
                ["files"] = new OpenApiSchema
                {
                    Type = JsonSchemaType.Array, Items = new OpenApiSchema { Type = JsonSchemaType.String, Format = "binary" },
                    Description = "The files, one part each (named `files`).",
                },
            };
            foreach (var field in multipart.TextFields)
            {
                properties[field] = new OpenApiSchema { Type = JsonSchemaType.String };
            }
            foreach (var field in multipart.BooleanFields)
            {
                properties[field] = new OpenApiSchema { Type = JsonSchemaType.Boolean };
            }
            content["multipart/form-data"] = new() { Schema = new OpenApiSchema { Type = JsonSchemaType.Object, Properties = properties } };
        }
        operation.RequestBody = new OpenApiRequestBody
        {
            Required = true,
            Description = json?.MergePatch == true ? "A JSON merge patch: the properties sent change (null clears a nullable one), the others stay." : null,
            Content = content,
        };
    }

    private static void DescribeLimit(OpenApiOperation operation)
    {
        foreach (var parameter in operation.Parameters?.OfType<OpenApiParameter>() ?? [])
        {
            if (parameter.Name == "limit" && parameter.In == ParameterLocation.Query)
            {
                parameter.Schema = new OpenApiSchema { Type = JsonSchemaType.Integer, Format = "int32", Minimum = "1", Maximum = "200", Default = JsonValue.Create(50) };
                parameter.Description = "Page size, 1–200.";
            }
        }
    }

    /// <summary>
    /// <c>feature_action</c>: the first path segment, then the verb (list, get, create, update, delete, or the action's own
    /// name) and the segments below it, e.g. <c>tickets_list</c>, <c>tickets_get</c>, <c>settings_updateCompany</c>,
    /// <c>tickets_listHistory</c>, <c>tickets_reopen</c>.
    /// </summary>
    public static string OperationId(string method, string relative)
    {
        var segments = relative.Split('/', StringSplitOptions.RemoveEmptyEntries);
        var feature = Camel(segments[0]);
        var endsWithId = segments[^1].StartsWith('{');
        // A collection followed by an id names one item: tickets/{id}/attachments/{attachmentId} is "Attachment".
        var literals = segments.Select((s, i) => (s, i)).Skip(1).Where(x => !x.s.StartsWith('{'))
            .Select(x => Pascal(x.i + 1 < segments.Length && segments[x.i + 1].StartsWith('{') ? Singular(x.s) : x.s)).ToList();
        var last = segments.Length > 1 && !endsWithId ? segments[^1] : null;
        var plural = last is null || last.EndsWith('s');
        var verb = method switch
        {
            "GET" => endsWithId || !plural ? "get" : "list",
            "POST" when endsWithId => "add",
            "POST" when plural => "create",
            "POST" => "",
            "PUT" => "update",
            "PATCH" => "update",
            "DELETE" => "delete",
            _ => method.ToLowerInvariant(),
        };
        if (verb is "create" or "add" && literals.Count > 0)
        {
            literals[^1] = Singular(literals[^1]);
        }
        var rest = string.Concat(literals);
        var action = verb.Length == 0 ? Camel(rest) : verb + rest;
        return $"{feature}_{action}";
    }

    private static string Singular(string word) =>
        word.EndsWith("ies", StringComparison.Ordinal) ? word[..^3] + "y" : word.EndsWith('s') ? word[..^1] : word;

    private static string Summary(string operationId)
    {
        var (feature, action) = (operationId.Split('_')[0], operationId.Split('_')[1]);
        var words = string.Concat(action.Select((c, i) => char.IsUpper(c) && i > 0 ? " " + char.ToLowerInvariant(c) : c.ToString()));
        return $"{char.ToUpperInvariant(words[0])}{words[1..]} ({feature})";
    }

    private static string Pascal(string segment) =>
        string.Concat(segment.Split('-').Select(p => p.Length == 0 ? p : char.ToUpperInvariant(p[0]) + p[1..]));

    private static string Camel(string segment)
    {
        var pascal = Pascal(segment);
        return pascal.Length == 0 ? pascal : char.ToLower(pascal[0], CultureInfo.InvariantCulture) + pascal[1..];
    }
}

/// <summary>A 409 for a possible duplicate partner or contact: the problem plus the duplicates found.</summary>
public sealed record DuplicateProblem(string? Type, string Title, int Status, string Detail, DuplicateDto[] Duplicates);

/// <summary>One possible duplicate: the field that matched and the partner holding the same value.</summary>
public sealed record DuplicateDto(string Field, string Message, long PartnerId, string PartnerName);

/// <summary>A page of a list: <c>next</c> is the cursor for <c>?after=</c>, null on the last page.</summary>
public sealed record ItemList<T>(IReadOnlyList<T> Items, string? Next);

/// <summary>A page of a list that can also tell its size: <c>total</c> counts every visible item of every page with <c>?includeTotal=true</c>, else null.</summary>
public sealed record CountedList<T>(IReadOnlyList<T> Items, string? Next, int? Total);
