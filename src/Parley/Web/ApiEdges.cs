using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Routing.Template;

namespace Parley.Web;

/// <summary>The edges of every API request: what is cached, and what a body must be.</summary>
public static class ApiEdges
{
    /// <summary>
    /// Every API response carries a token or a user's data: no browser or proxy may keep a copy, unless the endpoint
    /// says otherwise itself (a picture at an address that never changes: Account/Avatar).
    /// </summary>
    public static IApplicationBuilder UseNoStoreForApi(this IApplicationBuilder app) => app.Use((context, next) =>
    {
        if (context.Request.Path.StartsWithSegments("/api"))
        {
            context.Response.OnStarting(() =>
            {
                if (!context.Response.Headers.ContainsKey("Cache-Control"))
                {
                    context.Response.Headers.CacheControl = "no-store";
                }

                return Task.CompletedTask;
            });
        }

        return next(context);
    });

    /// <summary>
    /// A JSON endpoint sent a body of another type (or none) is not matched by routing, so the request falls to the
    /// "/api/{**path}" 404. Here, after authentication, such a request gets what it deserves instead: 401 if the
    /// endpoint needs a signed-in user and there is none, else 415 saying what to send.
    /// </summary>
    public static IApplicationBuilder UseApiContentTypes(this WebApplication app)
    {
        var endpoints = new Lazy<List<(TemplateMatcher Matcher, IReadOnlyList<string> Methods, bool NeedsUser)>>(() =>
            [.. app.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
                .Where(e => e.Metadata.GetMetadata<IAcceptsMetadata>() is { ContentTypes.Count: > 0 } && e.RoutePattern.RawText is not null)
                .Select(e => (
                    new TemplateMatcher(TemplateParser.Parse(e.RoutePattern.RawText!), new RouteValueDictionary()),
                    e.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? [],
                    e.Metadata.GetMetadata<IAuthorizeData>() is not null && e.Metadata.GetMetadata<IAllowAnonymous>() is null))]);
        return app.Use(async (context, next) =>
        {
            if (context.GetEndpoint()?.Metadata.GetMetadata<ApiFallbackMarker>() is null)
            {
                await next(context);
                return;
            }

            var match = endpoints.Value.FirstOrDefault(e =>
                e.Methods.Contains(context.Request.Method, StringComparer.OrdinalIgnoreCase) &&
                e.Matcher.TryMatch(context.Request.Path, new RouteValueDictionary()));
            if (match.Matcher is null)
            {
                await next(context);
                return;
            }

            if (match.NeedsUser && context.User.Identity?.IsAuthenticated != true)
            {
                await context.WriteProblemAsync(StatusCodes.Status401Unauthorized, ProblemTypes.Unauthorized, "Unauthorized",
                    "Sign in to continue: the access token is missing, expired or invalid.");
                return;
            }

            var sent = context.Request.ContentType is { Length: > 0 } type ? $"'{type}'" : "no Content-Type";
            await context.WriteProblemAsync(StatusCodes.Status415UnsupportedMediaType, ProblemTypes.UnsupportedMediaType,
                "Unsupported content type", $"This endpoint reads a JSON body; the request had {sent}. Send JSON with the header Content-Type: application/json.");
        });
    }

    /// <summary>Marks the "/api/{**path}" fallback, so <see cref="UseApiContentTypes"/> knows a request fell through.</summary>
    public sealed class ApiFallbackMarker;
}
