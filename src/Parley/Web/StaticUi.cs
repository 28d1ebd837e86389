namespace Parley.Web;

/// <summary>Serves the built React app from wwwroot on the API's origin, with client-side routes falling back to index.html.</summary>
public static class StaticUi
{
    public static WebApplication UseStaticUi(this WebApplication app)
    {
        app.UseDefaultFiles();
        app.UseStaticFiles(new StaticFileOptions
        {
            OnPrepareResponse = ctx =>
            {
                // Vite fingerprints everything under /assets, so it may be cached for good; index.html never.
                ctx.Context.Response.Headers.CacheControl = ctx.Context.Request.Path.StartsWithSegments("/assets")
                    ? "public, max-age=31536000, immutable"
                    : "no-cache";
            },
        });
        return app;
    }

    public static void MapStaticUiFallback(this WebApplication app)
    {
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
