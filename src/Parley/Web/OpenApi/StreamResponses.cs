using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using Parley.Features.Chats;

namespace Parley.Web.OpenApi;

/// <summary>
/// A streaming operation's 200 is <c>text/event-stream</c>: text, not a JSON document. OpenAPI 3.1 has no way to
/// type the events of a stream, so the media type's schema is a string, and <c>x-events</c> gives each event's name
/// and the schema of its JSON data (the properties of <see cref="ReplyStreamEvents"/>, which the endpoints declare).
/// </summary>
internal sealed class StreamResponses : IOpenApiOperationTransformer
{
    public const string EventsExtension = "x-events";

    private static readonly JsonObject Events = new(typeof(ReplyStreamEvents).GetProperties(BindingFlags.Public | BindingFlags.Instance)
        .Select(p => KeyValuePair.Create<string, JsonNode?>(
            JsonNamingPolicy.CamelCase.ConvertName(p.Name),
            new JsonObject { ["$ref"] = $"#/components/schemas/{p.PropertyType.Name}" })));

    public Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken ct)
    {
        if (operation.Responses?.TryGetValue("200", out var ok) != true || ok is not OpenApiResponse response ||
            response.Content?.ContainsKey("text/event-stream") != true)
        {
            return Task.CompletedTask;
        }

        response.Description = "Server-Sent Events, each with JSON data: `start` (when a request starts a reply), then " +
            "`delta` as text arrives, then `usage` and `done` when the reply is stored, or `error` (a problem) when it " +
            "failed. `x-events` gives the schema of each event's data.";
        response.Content["text/event-stream"] = new OpenApiMediaType
        {
            Schema = new OpenApiSchema { Type = JsonSchemaType.String, Description = "Lines `event: NAME` and `data: JSON`, then a blank line, per event." },
            Extensions = new Dictionary<string, IOpenApiExtension> { [EventsExtension] = new JsonNodeExtension(Events.DeepClone()) },
        };
        return Task.CompletedTask;
    }
}
