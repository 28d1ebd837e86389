using System.Text.Json;
using System.Text.RegularExpressions;

namespace Parley.Web;

/// <summary>
/// Turns ASP.NET Core's binding failures ("Failed to bind parameter \"int limit\" from \"abc\".") into sentences that
/// name the parameter and where it goes, without framework wording; a query-string problem never blames the body.
/// </summary>
public static partial class BindingErrors
{
    public static string Describe(BadHttpRequestException bad)
    {
        var message = bad.Message;
        if (FailedToBind().Match(message) is { Success: true } failed)
        {
            return $"'{failed.Groups["name"].Value}' must be {Kind(failed.Groups["type"].Value)}; \"{Clip(failed.Groups["value"].Value)}\" is not.";
        }

        if (Required().Match(message) is { Success: true } required)
        {
            var source = required.Groups["source"].Value;
            return source.Contains("body", StringComparison.OrdinalIgnoreCase)
                ? "The request needs a JSON body of the documented shape."
                : $"'{required.Groups["name"].Value}' is required in the {source}.";
        }

        if (bad.InnerException is JsonException { Message: var text } && MissingProperty().Match(text) is { Success: true } missing)
        {
            return $"'{missing.Groups["name"].Value}' is required in the request body.";
        }

        if (bad.InnerException is JsonException json)
        {
            return json.Path is { Length: > 1 } path
                ? $"The request body must be valid JSON of the documented shape; the value at {path} could not be read."
                : "The request body must be valid JSON of the documented shape.";
        }

        return message.Contains("body", StringComparison.OrdinalIgnoreCase)
            ? "The request body must be valid JSON of the documented shape."
            : "The request could not be understood. Check its parameters against the API documentation.";
    }

    private static string Kind(string type) => type.TrimEnd('?') switch
    {
        "int" or "long" or "short" or "Int32" or "Int64" => "a whole number",
        "Guid" => "an id (a GUID)",
        "DateTimeOffset" or "DateTime" => "a date and time (ISO 8601)",
        "bool" or "Boolean" => "true or false",
        "double" or "decimal" or "float" => "a number",
        _ => "of the documented type",
    };

    private static string Clip(string value) => value.Length <= 40 ? value : value[..40] + "…";

    [GeneratedRegex("""^Failed to bind parameter "(?<type>\S+) (?<name>\w+)" from "(?<value>.*)"\.?$""", RegexOptions.Singleline)]
    private static partial Regex FailedToBind();

    [GeneratedRegex("""missing required properties including: '(?<name>[^']+)'""")]
    private static partial Regex MissingProperty();

    [GeneratedRegex("""^Required parameter "(?<type>\S+) (?<name>\w+)" was not provided from (?<source>[^.]+)\.?""")]
    private static partial Regex Required();
}
