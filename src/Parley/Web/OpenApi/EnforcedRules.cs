using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.Extensions.Options;
using Microsoft.OpenApi;
using Parley.Features.Chats;

namespace Parley.Web.OpenApi;

/// <summary>
/// Rules the server enforces that the schema generator does not carry over: an email's format, that a required
/// string cannot be blank, and a message's configured length limit.
/// </summary>
internal sealed class EnforcedRules(IOptions<ChatOptions> chat) : IOpenApiSchemaTransformer
{
    /// <summary>Somewhere a letter, digit or sign: what "not blank" means (JSON Schema patterns are not anchored).</summary>
    public const string NotBlank = @"\S";

    public Task TransformAsync(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken ct)
    {
        if (context.JsonPropertyInfo?.AttributeProvider is not { } property)
        {
            return Task.CompletedTask;
        }

        var attributes = property.GetCustomAttributes(inherit: true);
        if (attributes.OfType<EmailAddressAttribute>().Any())
        {
            schema.Format = "email";
        }

        if (attributes.OfType<RequiredAttribute>().Any(r => !r.AllowEmptyStrings) && schema.Type?.HasFlag(JsonSchemaType.String) == true)
        {
            schema.MinLength ??= 1;
            schema.Pattern ??= NotBlank;
        }

        if (attributes.OfType<MessageTextAttribute>().Any())
        {
            schema.MinLength = 1;
            schema.MaxLength = chat.Value.MaxMessageLength;
            schema.Pattern = NotBlank;
            schema.Description = $"Not blank; at most {chat.Value.MaxMessageLength:N0} characters (the operator's setting). Trimmed before it is stored.";
        }

        return Task.CompletedTask;
    }
}
