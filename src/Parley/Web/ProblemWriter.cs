using Microsoft.AspNetCore.Mvc;

namespace Parley.Web;

public static class ProblemWriter
{
    /// <summary>Writes a problem from middleware (outside endpoints, where TypedResults are not available).</summary>
    public static ValueTask WriteProblemAsync(this HttpContext context, int status, string type, string title, string detail)
    {
        context.Response.StatusCode = status;
        return context.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new()
        {
            HttpContext = context,
            ProblemDetails = new ProblemDetails { Status = status, Type = type, Title = title, Detail = detail },
        });
    }
}
