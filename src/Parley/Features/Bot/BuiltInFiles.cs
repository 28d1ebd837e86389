using System.Globalization;
using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.Extensions.AI;

namespace Parley.Features.Bot;

/// <summary>
/// What the built-in assistant says about files: it reads no content the way a model would, but it says what it
/// got, a document's size and first lines, an image's type and size, so a user trying Parley offline sees the files
/// arrive.
/// </summary>
internal static partial class BuiltInFiles
{
    private const int FirstLines = 3;

    /// <summary>A description of the message's files (empty when it has none), and its own text without them.</summary>
    public static (string Files, string Question) Describe(ChatMessage message)
    {
        var text = string.Concat(message.Contents.OfType<TextContent>().Select(c => c.Text));
        var described = new StringBuilder();
        foreach (Match file in FileBlock().Matches(text))
        {
            var name = WebUtility.HtmlDecode(file.Groups["name"].Value);
            var body = file.Groups["body"].Value;
            var lines = body.TrimEnd('\n').Split('\n');
            described.Append(CultureInfo.InvariantCulture, $"- **{name}**: {body.Length:N0} characters, {lines.Length:N0} line{(lines.Length == 1 ? "" : "s")}");
            var start = lines.Select(l => l.TrimEnd()).Where(l => l.Length > 0).Take(FirstLines).ToList();
            // In a fence, so a first line of Markdown ("# Title") is shown as written.
            described.Append(start.Count == 0 ? ", no text in it.\n"
                : ". It starts:\n\n  ```text\n" + string.Concat(start.Select(l => $"  {Clip(l).Replace("```", "'''", StringComparison.Ordinal)}\n")) + "  ```\n");
        }

        foreach (var image in message.Contents.OfType<DataContent>())
        {
            described.Append(CultureInfo.InvariantCulture, $"- **{image.Name ?? "an image"}**: an image ({image.MediaType}, {image.Data.Length / 1024.0:0.#} KB).\n");
        }

        foreach (Match unseen in UnseenImage().Matches(text))
        {
            described.Append(CultureInfo.InvariantCulture, $"- **{unseen.Groups["name"].Value}**: an image.\n");
        }

        var question = UnseenImage().Replace(FileBlock().Replace(text, ""), "").Trim();
        var count = FileBlock().Count(text) + message.Contents.OfType<DataContent>().Count() + UnseenImage().Count(text);
        return described.Length == 0
            ? ("", question)
            : ($"I got {(count == 1 ? "this file" : "these files")}:\n\n{described}\nI can't read what's inside {(count == 1 ? "it" : "them")} the way a model would; " +
               "once one is connected (`OPENAI_API_KEY`), it will.\n\n", question);
    }

    private static string Clip(string line) => line.Length <= 120 ? line : line[..120] + "…";

    [GeneratedRegex("<file name=\"(?<name>[^\"]*)\">\n(?<body>.*?)\n</file>\n*", RegexOptions.Singleline)]
    private static partial Regex FileBlock();

    [GeneratedRegex(@"\[An image was attached here \((?<name>[^)]*)\); this model can't see images\.\]\n*")]
    private static partial Regex UnseenImage();
}
