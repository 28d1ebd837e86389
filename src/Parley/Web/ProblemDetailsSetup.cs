using Microsoft.AspNetCore.Diagnostics;

using Microsoft.AspNetCore.Mvc;
using Parley.Data;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Parley.Web;

public static class ProblemDetailsSetup
{
    public static IServiceCollection AddParleyProblemDetails(this IServiceCollection services)
    {
        services.AddExceptionHandler<ProblemDetailsExceptionHandler>();
        // First, so it is asked before the framework's writer (which declines clients that accept no JSON).
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IProblemDetailsWriter, ApiProblemWriter>());
        services.AddProblemDetails(options => options.CustomizeProblemDetails = context =>
        {
            var problem = context.ProblemDetails;
            problem.Instance ??= context.HttpContext.Request.Path;
            // Bare status codes (from auth, routing, status code pages) get a type and a sentence a person can act on.
            if (problem.Type is null || problem.Type.StartsWith("https://tools.ietf.org", StringComparison.Ordinal))
            {
                (problem.Type, problem.Detail) = problem.Status switch
                {
                    StatusCodes.Status401Unauthorized => (ProblemTypes.Unauthorized,
                        problem.Detail ?? "Sign in to continue: the access token is missing, expired or invalid."),
                    StatusCodes.Status404NotFound => (ProblemTypes.NotFound,
                        problem.Detail ?? "Nothing exists at this address."),
                    StatusCodes.Status405MethodNotAllowed => (ProblemTypes.BadRequest,
                        problem.Detail ?? $"{context.HttpContext.Request.Method} is not allowed here."),
                    StatusCodes.Status400BadRequest when context.ProblemDetails is HttpValidationProblemDetails =>
                        (ProblemTypes.Validation, problem.Detail ?? "Some fields are not valid; see errors."),
                    StatusCodes.Status400BadRequest => (ProblemTypes.BadRequest,
                        problem.Detail ?? "The request could not be understood."),
                    StatusCodes.Status413PayloadTooLarge => (ProblemTypes.PayloadTooLarge, problem.Detail),
                    >= 500 => (ProblemTypes.ServerError,
                        "Something went wrong on our side. Your data is safe; please try again."),
                    _ => (problem.Type, problem.Detail),
                };
            }
        });
        return services;
    }
}

/// <summary>Maps the few exceptions that reach the pipeline to ProblemDetails; anything else is a 500 without internals.</summary>
internal sealed class ProblemDetailsExceptionHandler(
    IProblemDetailsService problemDetails, ILogger<ProblemDetailsExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        var problem = exception switch
        {
            BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge } => new ProblemDetails
            {
                Status = StatusCodes.Status413PayloadTooLarge,
                Type = ProblemTypes.PayloadTooLarge,
                Title = "Request too large",
                Detail = RequestSizeLimit.Detail(httpContext),
            },
            BadHttpRequestException { StatusCode: StatusCodes.Status415UnsupportedMediaType } => new ProblemDetails
            {
                Status = StatusCodes.Status415UnsupportedMediaType,
                Type = ProblemTypes.UnsupportedMediaType,
                Title = "Unsupported content type",
                Detail = "This endpoint reads a JSON body. Send JSON with the header Content-Type: application/json.",
            },
            BadHttpRequestException bad => new ProblemDetails
            {
                Status = bad.StatusCode,
                Type = ProblemTypes.BadRequest,
                Title = "Malformed request",
                Detail = BindingErrors.Describe(bad),
            },
            OperationCanceledException when httpContext.RequestAborted.IsCancellationRequested => null,
            _ when DatabaseOutage.Is(exception) => new ProblemDetails
            {
                Status = StatusCodes.Status503ServiceUnavailable,
                Type = ProblemTypes.DatabaseUnavailable,
                Title = "Temporarily unavailable",
                Detail = "Parley cannot reach its database just now. Please try again in a few seconds.",
            },
            _ => new ProblemDetails
            {
                Status = StatusCodes.Status500InternalServerError,
                Type = ProblemTypes.ServerError,
                Title = "Unexpected error",
            },
        };

        if (problem is null)
        {
            return true; // The client went away; there is nobody to answer.
        }

        if (problem.Status == StatusCodes.Status503ServiceUnavailable)
        {
            logger.LogWarning(exception, "The database is unreachable: {Method} {Path} answered 503", httpContext.Request.Method, httpContext.Request.Path);
            httpContext.Response.Headers.RetryAfter = DatabaseOutage.RetryAfterSeconds;
        }
        else if (problem.Status >= 500)
        {
            logger.LogError(exception, "Unhandled exception for {Method} {Path}", httpContext.Request.Method, httpContext.Request.Path);
        }

        httpContext.Response.StatusCode = problem.Status!.Value;
        return await problemDetails.TryWriteAsync(new()
        {
            HttpContext = httpContext,
            ProblemDetails = problem,
            Exception = exception,
        });
    }
}

/// <summary>
/// Writes every API problem as application/problem+json, whatever the request's Accept header says. The framework's
/// writer declines a client that accepts only text/event-stream (a stream that could not start), and the problem
/// then went out without Parley's customization, or, from middleware, not at all.
/// </summary>
internal sealed class ApiProblemWriter(IOptions<ProblemDetailsOptions> options, IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions> json) : IProblemDetailsWriter
{
    public bool CanWrite(ProblemDetailsContext context) => context.HttpContext.Request.Path.StartsWithSegments("/api");

    public ValueTask WriteAsync(ProblemDetailsContext context)
    {
        var problem = context.ProblemDetails;
        problem.Status ??= context.HttpContext.Response.StatusCode;
        problem.Title ??= ReasonPhrases.GetReasonPhrase(problem.Status.Value);
        options.Value.CustomizeProblemDetails?.Invoke(context);
        return new ValueTask(context.HttpContext.Response.WriteAsJsonAsync(
            problem, json.Value.SerializerOptions.GetTypeInfo(problem.GetType()), "application/problem+json"));
    }
}
