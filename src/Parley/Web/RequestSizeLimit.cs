using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Http.Features;

namespace Parley.Web;

public sealed class ApiOptions
{
    public const string SectionName = "Api";

    /// <summary>Largest request body the API reads, in bytes.</summary>
    [Range(1024, 16 * 1024 * 1024)]
    public int MaxRequestBodyBytes { get; set; } = 64 * 1024;
}

/// <summary>
/// Rejects bodies over <see cref="ApiOptions.MaxRequestBodyBytes"/> with a 413 that states the limit: up front when
/// Content-Length says so, and through Kestrel's own limit for chunked bodies.
/// </summary>
public static class RequestSizeLimit
{
    public static IApplicationBuilder UseRequestSizeLimit(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        var limit = Limit(context);
        if (context.Request.ContentLength > limit)
        {
            await context.WriteProblemAsync(StatusCodes.Status413PayloadTooLarge, ProblemTypes.PayloadTooLarge,
                "Request too large", Detail(context));
            return;
        }

        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } feature)
        {
            feature.MaxRequestBodySize = limit;
        }

        await next(context);
    });

    public static string Detail(HttpContext context) =>
        $"The request body is larger than the limit of {Limit(context) / 1024} KB.";

    // An endpoint may set its own limit (Stripe's webhook events can be larger than any API request).
    private static long Limit(HttpContext context) =>
        context.GetEndpoint()?.Metadata.GetMetadata<Microsoft.AspNetCore.Http.Metadata.IRequestSizeLimitMetadata>()?.MaxRequestBodySize
        ?? context.RequestServices.GetRequiredService<Microsoft.Extensions.Options.IOptions<ApiOptions>>().Value.MaxRequestBodyBytes;
}
