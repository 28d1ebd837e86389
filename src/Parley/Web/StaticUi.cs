namespace Parley.Web;

/// <summary>
/// Serves the built React app from wwwroot on the API's origin, with client-side routes falling back to index.html.
/// The files are mapped from the build's static web assets manifest (<c>MapStaticAssets</c>), which serves the Brotli
/// or gzip copy the SDK made at build and publish time to a browser that accepts it, with ETags.
/// </summary>
public static class StaticUi
{
    /// <summary>
    /// A build run outside Development (the browser journeys run the Debug build in Production) finds wwwroot and the
    /// compressed copies through the build's manifest; a published build has its files beside it and no manifest.
    /// </summary>
    public static WebApplicationBuilder AddStaticUi(this WebApplicationBuilder builder)
    {
        builder.WebHost.UseStaticWebAssets();
        // Against a build's manifest ASP.NET Core would check every file for changes since the build, and (because it
        // compares the file's time to the manifest's, which has whole seconds) find every one changed and send it
        // "re-compressed" without compression under the manifest's Content-Encoding: br. wwwroot is written by the
        // same build as the manifest, so there is nothing to patch; after `npm run build`, build the app again.
        builder.Configuration["ReloadStaticAssetsAtRuntime"] ??= "false";
        return builder;
    }

    public static WebApplication UseStaticUi(this WebApplication app)
    {
        // Vite fingerprints everything under /assets (its names carry a content hash), so it may be cached for good;
        // the manifest does not know Vite's hashes and would say no-cache. index.html is always revalidated.
        app.Use((context, next) =>
        {
            if (context.Request.Path.StartsWithSegments("/assets"))
            {
                context.Response.OnStarting(() =>
                {
                    if (context.Response.StatusCode == StatusCodes.Status200OK)
                    {
                        context.Response.Headers.CacheControl = "public, max-age=31536000, immutable";
                    }

                    return Task.CompletedTask;
                });
            }

            return next(context);
        });

        // Files the manifest does not list (wwwroot rebuilt by `npm run build` after the app was built) are still
        // served, uncompressed; a request that matched a static asset endpoint passes through this untouched.
        app.UseStaticFiles(new StaticFileOptions
        {
            OnPrepareResponse = ctx => ctx.Context.Response.Headers.CacheControl =
                ctx.Context.Request.Path.StartsWithSegments("/assets") ? "public, max-age=31536000, immutable" : "no-cache",
        });
        return app;
    }

    public static void MapStaticUiFallback(this WebApplication app)
    {
        if (File.Exists(Path.Combine(AppContext.BaseDirectory, $"{app.Environment.ApplicationName}.staticwebassets.endpoints.json")))
        {
            app.MapStaticAssets();
        }

        // Unknown /api paths are real 404s (problem details), not the SPA shell.
        app.MapFallback("/api/{**path}", () => TypedResults.Problem(
            "There is no API endpoint at this address.", statusCode: StatusCodes.Status404NotFound,
            title: "Not found", type: ProblemTypes.NotFound)).WithMetadata(new ApiEdges.ApiFallbackMarker());
        app.MapFallbackToFile("index.html", new StaticFileOptions
        {
            OnPrepareResponse = ctx => ctx.Context.Response.Headers.CacheControl = "no-cache",
        });
    }
}
