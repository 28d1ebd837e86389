using System.ComponentModel.DataAnnotations;

namespace Parley.Features.Bot;

public sealed class BotOptions
{
    public const string SectionName = "Bot";

    /// <summary>Sent first in every conversation with a real model.</summary>
    [MaxLength(8000)]
    public string SystemPrompt { get; set; } =
        "You are Parley, a helpful assistant. Answer clearly and concisely; use Markdown where it helps.";

    /// <summary>Characters of earlier messages the bot is shown, newest kept first.</summary>
    [Range(100, 10_000_000)]
    public int HistoryCharBudget { get; set; } = 24_000;

    /// <summary>How long one reply may take before it counts as failed.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:30:00")]
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Pause between words of the built-in assistant's streamed replies.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:00:05")]
    public TimeSpan BuiltInWordDelay { get; set; } = TimeSpan.FromMilliseconds(25);

    public OpenAIOptions OpenAI { get; set; } = new();
}

/// <summary>Any OpenAI-compatible chat-completions endpoint: OpenAI, Azure, Ollama, vLLM, llama.cpp, LM Studio.</summary>
public sealed class OpenAIOptions
{
    /// <summary><c>OPENAI_API_KEY</c>. Setting it (or an endpoint) switches from the built-in bot to the model.</summary>
    public string? ApiKey { get; set; }

    /// <summary><c>OPENAI_BASE_URL</c>, e.g. http://localhost:11434/v1 for Ollama. Empty means api.openai.com.</summary>
    [Url]
    public string? Endpoint { get; set; }

    /// <summary><c>OPENAI_MODEL</c>.</summary>
    [MaxLength(200)]
    public string Model { get; set; } = "gpt-4o-mini";

    public bool IsConfigured => !string.IsNullOrWhiteSpace(ApiKey) || !string.IsNullOrWhiteSpace(Endpoint);
}
