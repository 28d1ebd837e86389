using System.Globalization;
using System.Net;
using System.Text;
using Microsoft.Extensions.AI;

namespace Parley.Features.Bot;

/// <summary>
/// A file attached to a turn, as the model gets it: an image's bytes (sent as an image part where the model accepts
/// images) or a document's text (put before the message, between <c>&lt;file&gt;</c> tags naming it).
/// </summary>
public sealed record TurnFile(string Name, string MediaType, long Size, ReadOnlyMemory<byte>? Image, string? Text, int? Width = null, int? Height = null);

/// <summary>How a turn with files becomes a chat message, and what it costs in tokens.</summary>
public static class TurnFiles
{
    /// <summary>The turn as the model reads it; images only when <paramref name="vision"/> (otherwise a line says one was there).</summary>
    public static ChatMessage ToMessage(Turn turn, bool vision)
    {
        var role = turn.FromUser ? ChatRole.User : ChatRole.Assistant;
        if (turn.Files.Count == 0)
        {
            return new ChatMessage(role, turn.Text);
        }

        var text = new StringBuilder();
        foreach (var file in turn.Files)
        {
            if (file.Text is { } document)
            {
                text.Append(CultureInfo.InvariantCulture, $"<file name=\"{WebUtility.HtmlEncode(file.Name)}\">\n{document}\n</file>\n\n");
            }
            else if (!vision)
            {
                text.Append(CultureInfo.InvariantCulture, $"[An image was attached here ({file.Name}); this model can't see images.]\n\n");
            }
        }

        text.Append(turn.Text);
        List<AIContent> contents = [new TextContent(text.ToString())];
        if (vision)
        {
            contents.AddRange(turn.Files.Where(f => f.Image is not null).Select(f => new DataContent(f.Image!.Value, f.MediaType) { Name = f.Name }));
        }

        return new ChatMessage(role, contents);
    }

    /// <summary>A cut document's tags and the line saying how much was left out, in tokens, with room to spare.</summary>
    private const int FramingTokens = 40;

    /// <summary>Estimated tokens of a turn: its text, its documents' text, and each image as OpenAI counts one.</summary>
    public static int EstimateTokens(Turn turn) =>
        ChatBot.EstimateTokens(turn.Text) + turn.Files.Sum(f => f.Text is { } t ? ChatBot.EstimateTokens(t) + 10 : ImageTokens(f.Width, f.Height));

    /// <summary>
    /// OpenAI's count for a detailed image: scaled to fit 2048 × 2048, then its short side to 768, 170 tokens per
    /// 512-pixel tile plus 85. Other models count differently; this is the estimate metered before a usage report.
    /// </summary>
    public static int ImageTokens(int? width, int? height)
    {
        double w = width ?? 1024, h = height ?? 1024;
        var fit = Math.Min(1, 2048 / Math.Max(w, h));
        (w, h) = (w * fit, h * fit);
        var shortSide = Math.Min(1, 768 / Math.Min(w, h));
        (w, h) = (w * shortSide, h * shortSide);
        return 85 + (170 * (int)Math.Ceiling(w / 512) * (int)Math.Ceiling(h / 512));
    }

    /// <summary>
    /// The turn cut to <paramref name="budget"/> tokens by shortening its documents (the question itself is always
    /// sent whole), each keeping its start and a line saying how much was left out.
    /// </summary>
    public static Turn Fit(Turn turn, int budget)
    {
        var over = EstimateTokens(turn) - budget;
        var documents = turn.Files.Where(f => f.Text is not null).ToList();
        if (over <= 0 || documents.Count == 0)
        {
            return turn;
        }

        var rest = EstimateTokens(turn with { Files = [.. turn.Files.Where(f => f.Text is null)] });
        // Per document, its share of what is left, less its framing and the line saying what was left out.
        var each = Math.Max(0, ((budget - rest) / documents.Count - FramingTokens) * 4);
        return turn with
        {
            Files = [.. turn.Files.Select(f => f.Text is { } t && t.Length > each
                ? f with { Text = t[..each] + $"\n[… the rest of {f.Name} is left out: {each:N0} of {t.Length:N0} characters shown]" }
                : f)],
        };
    }
}
