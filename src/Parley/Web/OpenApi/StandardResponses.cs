using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.OpenApi;

namespace Parley.Web.OpenApi;

/// <summary>
/// The responses an operation can give because of what kind of request it is, not what it does: 401 (and the
/// bearer requirement) when it needs a signed-in user, 400/413/415 when it reads a JSON body, 400 when it binds
/// parameters, 429 when it is rate limited, and 500 and 503 (database away) for all. Each is a problem; an
/// endpoint's own problems come from its metadata.
/// </summary>
internal sealed class StandardResponses : IOpenApiOperationTransformer
{
    public Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken ct)
    {
        var metadata = context.Description.ActionDescriptor.EndpointMetadata;
        var document = context.Document!;
        operation.Responses ??= [];

        if (metadata.OfType<IAuthorizeData>().Any() && !metadata.OfType<IAllowAnonymous>().Any())
        {
            operation.Security = [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(OpenApiSetup.BearerScheme, document)] = [] }];
            Add(operation, document, StatusCodes.Status401Unauthorized,
                "Sign in first: the access token is missing, expired or invalid, or its user no longer exists.");
        }

        if (operation.RequestBody?.Content?.ContainsKey("application/json") == true)
        {
            Add(operation, document, StatusCodes.Status400BadRequest,
                "The body is not valid JSON for this operation, or a field breaks a rule; `errors` names each field.", validation: true);
            Add(operation, document, StatusCodes.Status413PayloadTooLarge, "The body is larger than the server accepts.");
            Add(operation, document, StatusCodes.Status415UnsupportedMediaType, "The body is not sent as application/json.");
        }

        if (context.Description.ParameterDescriptions.Any(p => p.Source == BindingSource.Query || p.Source == BindingSource.Path))
        {
            Add(operation, document, StatusCodes.Status400BadRequest,
                "A parameter has a value of the wrong kind; `errors` names it.", validation: true);
        }

        if (metadata.OfType<EnableRateLimitingAttribute>().Any())
        {
            Add(operation, document, StatusCodes.Status429TooManyRequests,
                "Too many attempts from this address; the Retry-After header says when to try again.");
        }

        Add(operation, document, StatusCodes.Status500InternalServerError,
            "Something failed on the server (a bug); the problem says nothing about its internals.");
        Add(operation, document, StatusCodes.Status503ServiceUnavailable,
            "The database cannot be reached for now; Retry-After says when to try again.");
        return Task.CompletedTask;
    }

    /// <summary>Adds a problem response, keeping one an endpoint declared itself (it knows its own case best).</summary>
    internal static void Add(OpenApiOperation operation, OpenApiDocument document, int status, string description, bool validation = false)
    {
        var key = status.ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (operation.Responses!.TryGetValue(key, out var existing) && existing.Content?.ContainsKey("application/problem+json") == true)
        {
            return;
        }

        operation.Responses[key] = new OpenApiResponse
        {
            Description = description,
            Content = new Dictionary<string, OpenApiMediaType>
            {
                ["application/problem+json"] = new()
                {
                    Schema = new OpenApiSchemaReference(validation ? "HttpValidationProblemDetails" : "ProblemDetails", document),
                },
            },
        };
    }
}
