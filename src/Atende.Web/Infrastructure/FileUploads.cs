using Atende.Core.Data;
using Atende.Core.Files;
using Atende.Core.Identity;
using Microsoft.AspNetCore.Http.Features;

namespace Atende.Web.Infrastructure;

/// <summary>The file store, <see cref="FileService"/> and the request size limits for uploads.</summary>
public static class FileUploads
{
    /// <summary>
    /// Registers the store chosen by <c>Atende:Files:Store</c> (<c>Disk</c>, the default, under <c>Atende:Files:Path</c>
    /// or <c>&lt;data&gt;/files</c>; or <c>Database</c>), the limits and <see cref="FileService"/> (scoped; its caller
    /// is the request's, or none outside a request).
    /// </summary>
    public static void AddAtendeFiles(this IServiceCollection services, IConfiguration config, string dataPath)
    {
        var maxBytes = config.GetValue("Atende:Files:MaxBytes", FileLimits.DefaultMaxBytes);
        var limits = new FileLimits
        {
            MaxBytes = maxBytes,
            MaxRequestBytes = config.GetValue("Atende:Files:MaxRequestBytes", FileLimits.DefaultRequestBytes(maxBytes)),
        };
        if (limits.MaxBytes <= 0 || limits.MaxRequestBytes < limits.MaxBytes)
        {
            throw new InvalidOperationException("Atende:Files:MaxBytes must be positive and Atende:Files:MaxRequestBytes at least as large.");
        }
        services.AddSingleton(limits);

        var store = config["Atende:Files:Store"] ?? "Disk";
        if (store.Equals("Disk", StringComparison.OrdinalIgnoreCase))
        {
            var path = Path.GetFullPath(config["Atende:Files:Path"] ?? Path.Combine(dataPath, "files"));
            services.AddSingleton<IFileStore>(_ => new DiskFileStore(path));
        }
        else if (store.Equals("Database", StringComparison.OrdinalIgnoreCase))
        {
            services.AddScoped<IFileStore>(sp => new DatabaseFileStore(sp.GetRequiredService<AtendeDb>()));
        }
        else
        {
            throw new InvalidOperationException($"Unknown Atende:Files:Store '{store}': use Disk or Database.");
        }

        services.AddScoped(sp => new FileService(sp.GetRequiredService<AtendeDb>(), sp.GetRequiredService<IFileStore>(), limits,
            sp.GetService<IHttpContextAccessor>()?.HttpContext?.Items[typeof(Caller)] as Caller, sp.GetService<ILogger<FileService>>()));

        // Form parts may be as large as the whole request; Kestrel's body limit (raised below) is the one that applies.
        services.Configure<FormOptions>(o => o.MultipartBodyLengthLimit = limits.MaxRequestBytes);
    }

    /// <summary>
    /// Middleware, after the caller is loaded: a signed-in user's multipart request may carry up to
    /// <see cref="FileLimits.MaxRequestBytes"/>, so a file a little over the per-file limit reaches
    /// <see cref="FileService"/> and gets its message instead of a bare 413. Every other request keeps Kestrel's
    /// default limit (about 28.6 MB).
    /// The form is read here, once, for pages and API alike: a truncated or malformed multipart body is a validation
    /// error on "files" (400, or the error page with its message) instead of an I/O error deep in an endpoint.
    /// </summary>
    public static async Task AllowUploads(HttpContext context, Func<Task> next)
    {
        if (context.Items.ContainsKey(typeof(Caller))
            && context.Request.ContentType?.StartsWith("multipart/form-data", StringComparison.OrdinalIgnoreCase) == true)
        {
            if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } feature)
            {
                feature.MaxRequestBodySize = context.RequestServices.GetRequiredService<FileLimits>().MaxRequestBytes;
            }
            // Not again when the error page re-executes a request whose form could not be read.
            if (context.Features.Get<Microsoft.AspNetCore.Diagnostics.IExceptionHandlerFeature>() is null)
            {
                await ReadForm(context.Request);
            }
        }
        await next();
    }

    public const string MalformedMessage = "O envio chegou incompleto ou malformado. Envie os arquivos de novo.";

    private static async Task ReadForm(HttpRequest request)
    {
        try
        {
            await request.ReadFormAsync(request.HttpContext.RequestAborted);
        }
        catch (BadHttpRequestException)
        {
            // Kestrel's own answers (413 too large, 400 bad framing) keep their status.
            throw;
        }
        catch (Exception e) when (e is IOException or InvalidDataException && !request.HttpContext.RequestAborted.IsCancellationRequested)
        {
            throw new Core.Common.ValidationException("files", MalformedMessage);
        }
    }
}
