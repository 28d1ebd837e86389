using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Json.Schema;

namespace Parley.Tests.Infrastructure;

/// <summary>
/// The committed OpenAPI document (web/openapi.json) as a checker of responses: is the status listed for the
/// operation, is the content type one it lists, does the body match the schema (for a stream: is each event listed,
/// does its data match)? <see cref="ContractRecorder"/> runs it on every API response the backend suite sees.
/// </summary>
public sealed class ApiContract
{
    public static ApiContract Committed { get; } = new(JsonNode.Parse(File.ReadAllText(Path.Combine(Repository.Root, "web", "openapi.json")))!);

    private readonly JsonObject _document;
    private readonly List<(string[] Segments, JsonObject Operations)> _paths;
    private readonly ConcurrentDictionary<string, JsonSchema> _schemas = new();
    private readonly string _components;

    private readonly Dictionary<JsonObject, string> _templates = new(ReferenceEqualityComparer.Instance);

    public ApiContract(JsonNode document)
    {
        // A parsed JsonNode builds its children on first access, which is not safe from many threads at once (the
        // suite checks responses of parallel tests): build them all now, then the tree is only read.
        Materialize(document);
        _document = document.AsObject();
        _paths = [.. _document["paths"]!.AsObject().Select(p => (p.Key.Trim('/').Split('/'), p.Value!.AsObject()))];
        foreach (var (template, operations) in _document["paths"]!.AsObject())
        {
            foreach (var (_, operation) in operations!.AsObject())
            {
                if (operation is JsonObject o)
                {
                    _templates[o] = template;
                }
            }
        }

        _components = Rebase(_document["components"]?["schemas"]?.ToJsonString() ?? "{}");
    }

    /// <summary>What is wrong with a response, in words; empty when it keeps the contract.</summary>
    public IReadOnlyList<string> Check(string method, string path, int status, string? contentType, byte[] body)
    {
        if (FindOperation(method, path) is not { } operation)
        {
            return []; // not an operation of the API (the UI, the 404 for unknown addresses)
        }

        var name = $"{method} {path} ({operation["operationId"]})";
        var key = status.ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (operation["responses"]?[key] is not JsonObject response)
        {
            return [$"{name} answered {status}, which the document does not list for it: {Preview(body)}"];
        }

        var mediaType = contentType?.Split(';')[0].Trim();
        if (body.Length == 0 || mediaType is null)
        {
            return response["content"] is JsonObject { Count: > 0 } expected && method != "HEAD"
                ? [$"{name} answered {status} with no body, but the document says it has {string.Join(" or ", expected.Select(c => c.Key))}."]
                : [];
        }

        if (response["content"]?[mediaType] is not JsonObject media)
        {
            return [$"{name} answered {status} as {mediaType}, which the document does not list for it."];
        }

        var pointer = $"/paths/{Escape(PathTemplate(operation))}/{method.ToLowerInvariant()}/responses/{key}/content/{Escape(mediaType)}";
        if (!mediaType.EndsWith("json", StringComparison.Ordinal) && mediaType != "text/event-stream")
        {
            return []; // a file (an attachment, its thumbnail): its type is listed, its bytes are not JSON to check
        }

        return mediaType == "text/event-stream"
            ? CheckEvents(name, media, pointer, body)
            : Validate($"{name} {status} body", pointer + "/schema", media["schema"], Encoding.UTF8.GetString(body));
    }

    private List<string> CheckEvents(string name, JsonObject media, string pointer, byte[] body)
    {
        var problems = new List<string>();
        var events = media["x-events"] as JsonObject;
        // Only complete events: a client may stop reading in the middle of one.
        var text = Encoding.UTF8.GetString(body).ReplaceLineEndings("\n");
        foreach (var block in text[..(text.LastIndexOf("\n\n", StringComparison.Ordinal) + 1)].Split("\n\n", StringSplitOptions.RemoveEmptyEntries))
        {
            var lines = block.Split('\n');
            var type = lines.FirstOrDefault(l => l.StartsWith("event: ", StringComparison.Ordinal))?["event: ".Length..] ?? "message";
            var data = string.Join("\n", lines.Where(l => l.StartsWith("data: ", StringComparison.Ordinal)).Select(l => l["data: ".Length..]));
            if (events?[type] is not { } schema)
            {
                problems.Add($"{name} sent the event '{type}', which the document does not list.");
                continue;
            }

            problems.AddRange(Validate($"{name} event '{type}'", $"{pointer}/x-events/{Escape(type)}", schema, data));
        }

        return problems;
    }

    private List<string> Validate(string what, string pointer, JsonNode? schemaNode, string json)
    {
        if (schemaNode is null)
        {
            return [];
        }

        JsonElement instance;
        try
        {
            instance = JsonDocument.Parse(json).RootElement;
        }
        catch (JsonException e)
        {
            return [$"{what} is not JSON ({e.Message}): {Preview(Encoding.UTF8.GetBytes(json))}"];
        }

        var schema = _schemas.GetOrAdd(pointer, _ => JsonSchema.FromText(
            $$"""{"$schema":"https://json-schema.org/draft/2020-12/schema","$defs":{{_components}},"allOf":[{{Rebase(schemaNode.ToJsonString())}}]}""",
            new BuildOptions { SchemaRegistry = new SchemaRegistry() },
            new Uri($"https://contract.parley.test/{Guid.NewGuid():N}")));
        var result = schema.Evaluate(instance, new EvaluationOptions { OutputFormat = OutputFormat.List, RequireFormatValidation = true });
        if (result.IsValid)
        {
            return [];
        }

        var errors = (result.Details ?? []).Where(d => d.Errors is { Count: > 0 })
            .SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation}: {e.Value}")).Distinct().Take(5);
        return [$"{what} does not match the document ({pointer}): {string.Join("; ", errors)} in {Preview(Encoding.UTF8.GetBytes(json))}"];
    }

    private JsonObject? FindOperation(string method, string path)
    {
        var segments = path.Trim('/').Split('/');
        // A literal segment beats a parameter, so /api/billing/portal is not /api/billing/{anything}.
        return _paths
            .Where(p => p.Segments.Length == segments.Length && p.Operations[method.ToLowerInvariant()] is JsonObject)
            .Select(p => (p.Operations, Score: Match(p.Segments, segments, p.Operations[method.ToLowerInvariant()]!.AsObject())))
            .Where(p => p.Score >= 0)
            .OrderByDescending(p => p.Score)
            .Select(p => p.Operations[method.ToLowerInvariant()]!.AsObject())
            .FirstOrDefault();
    }

    private static int Match(string[] template, string[] actual, JsonObject operation)
    {
        var literals = 0;
        for (var i = 0; i < template.Length; i++)
        {
            if (template[i].StartsWith('{'))
            {
                var name = template[i].Trim('{', '}');
                var parameter = operation["parameters"]?.AsArray().FirstOrDefault(p => (string?)p!["name"] == name && (string?)p["in"] == "path");
                // A route constraint ({id:long}) sends other values to the 404 fallback: they are not this operation.
                if ((string?)parameter?["schema"]?["type"] == "integer" && !long.TryParse(actual[i], out _))
                {
                    return -1;
                }
            }
            else if (!string.Equals(template[i], actual[i], StringComparison.OrdinalIgnoreCase))
            {
                return -1;
            }
            else
            {
                literals++;
            }
        }

        return literals;
    }

    private string PathTemplate(JsonObject operation) => _templates[operation];

    private static void Materialize(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject o:
                foreach (var (_, child) in o)
                {
                    Materialize(child);
                }

                break;
            case JsonArray a:
                foreach (var child in a)
                {
                    Materialize(child);
                }

                break;
        }
    }

    private static string Rebase(string json) => json.Replace("\"#/components/schemas/", "\"#/$defs/", StringComparison.Ordinal);

    private static string Escape(string segment) => segment.Replace("~", "~0", StringComparison.Ordinal).Replace("/", "~1", StringComparison.Ordinal);

    private static string Preview(byte[] body) =>
        body.Length == 0 ? "(no body)" : Encoding.UTF8.GetString(body, 0, Math.Min(body.Length, 300));
}
