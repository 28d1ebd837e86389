using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Parley.Web.OpenApi;

/// <summary>
/// Every problem Parley writes has a type, title, status, detail and instance (see ProblemDetailsSetup), so the
/// schema says so instead of the framework's all-optional, all-nullable shape. Extensions (<c>errors</c>,
/// <c>usage</c>, <c>manageUrl</c>…) stay allowed; a 400 has <c>errors</c> when it is about fields, not when the
/// body is not JSON at all.
/// </summary>
internal sealed class ProblemSchemas : IOpenApiDocumentTransformer
{
    private static readonly string[] Always = ["type", "title", "status", "detail", "instance"];

    public Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken ct)
    {
        foreach (var name in new[] { "ProblemDetails", "HttpValidationProblemDetails" })
        {
            if (document.Components?.Schemas?.TryGetValue(name, out var found) != true || found is not OpenApiSchema schema)
            {
                continue;
            }

            schema.Required = new HashSet<string>(Always);
            foreach (var property in Always)
            {
                if (schema.Properties?.TryGetValue(property, out var p) == true && p is OpenApiSchema ps && ps.Type is { } type)
                {
                    ps.Type = type & ~JsonSchemaType.Null;
                }
            }

            schema.Properties!["type"] = WithDescription(schema.Properties["type"], "A URI naming what happened (https://parley.chat/problems/…); clients branch on it.");
        }

        return Task.CompletedTask;
    }

    private static IOpenApiSchema WithDescription(IOpenApiSchema schema, string description)
    {
        if (schema is OpenApiSchema s)
        {
            s.Format = "uri";
            s.Description = description;
        }

        return schema;
    }
}
