using System.Text.Json;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Parley.Web.OpenApi;

/// <summary>
/// The generator lists <c>null</c> among an enum's values when a property of that enum type is nullable, and also
/// writes the property as <c>oneOf: [null, the enum]</c>: a null then matches both branches, which <c>oneOf</c> does
/// not allow, so a valid <c>"feedback": null</c> failed the document. The enum schema keeps only its real values; the
/// property's <c>oneOf</c> says it may be null.
/// </summary>
internal sealed class NullableEnums : IOpenApiDocumentTransformer
{
    public Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken ct)
    {
        foreach (var schema in document.Components?.Schemas?.Values ?? [])
        {
            if (schema is OpenApiSchema { Enum: { Count: > 0 } values })
            {
                for (var i = values.Count - 1; i >= 0; i--)
                {
                    if (values[i] is null || values[i]!.GetValueKind() == JsonValueKind.Null)
                    {
                        values.RemoveAt(i);
                    }
                }
            }
        }

        return Task.CompletedTask;
    }
}
