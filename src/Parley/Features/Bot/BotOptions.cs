using System.ComponentModel.DataAnnotations;

namespace Parley.Features.Bot;

public sealed class BotOptions
{
    public const string SectionName = "Bot";

    /// <summary>Sent first in every conversation with a real model.</summary>
    [MaxLength(8000)]
    public string SystemPrompt { get; set; } =
        "You are Parley, a helpful assistant. Answer clearly and concisely; use Markdown where it helps.";

    /// <summary>
    /// Tokens of conversation the model is shown (system prompt and question included); older turns are dropped first.
    /// Tokens are estimated (about four characters each, plus a few per message), since models tokenize differently.
    /// </summary>
    [Range(100, 10_000_000)]
    public int HistoryTokenBudget { get; set; } = 8_000;

    /// <summary>How long one whole reply may take before it counts as failed.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:30:00")]
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(120);

    /// <summary>How long to wait for the first text of a reply (then it is retried once, or fails).</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:10:00")]
    public TimeSpan FirstTokenTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// On shutdown (SIGTERM), how long running replies may go on before they are closed as interrupted with their
    /// text. No reply starts here once shutdown begins; the process exits about five seconds after this.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:10:00")]
    public TimeSpan DrainTimeout { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>How long to wait for a TCP connection to the model server.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:02:00")]
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Randomness of replies (0-2); empty means the model's default.</summary>
    [Range(0.0, 2.0)]
    public float? Temperature { get; set; }

    /// <summary>Longest reply, in tokens; empty means the model's default.</summary>
    [Range(1, 1_000_000)]
    public int? MaxOutputTokens { get; set; }

    /// <summary>Pause between words of the built-in assistant's streamed replies.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:00:05")]
    public TimeSpan BuiltInWordDelay { get; set; } = TimeSpan.FromMilliseconds(25);

    public OpenAIOptions OpenAI { get; set; } = new();

    /// <summary>
    /// <c>Bot__Models__0__Id</c>, <c>__Name</c>, <c>__Premium</c>, <c>__Vision</c>: models of the OpenAI-compatible
    /// server users may choose between (a default for themselves, and per chat). Premium ones only for Premium users.
    /// Empty: each plan has its one model (<c>OPENAI_MODEL</c>, <c>OPENAI_PREMIUM_MODEL</c>) and nothing to choose.
    /// </summary>
    public List<ModelOption> Models { get; set; } = [];

    /// <summary>Whether the plan's model takes images: the built-in assistant does (it describes them); a model as configured.</summary>
    public bool AcceptsImages(Auth.Plan plan) =>
        !OpenAI.IsConfigured || (plan == Auth.Plan.Premium && !string.IsNullOrWhiteSpace(OpenAI.PremiumModel) ? OpenAI.PremiumVision ?? OpenAI.Vision : OpenAI.Vision);
}

/// <summary>A model users may choose (see <see cref="BotOptions.Models"/>).</summary>
public sealed class ModelOption
{
    /// <summary>The model's name on the server ("gpt-4o", "llama3.1:70b"): what requests ask for.</summary>
    [Required, MaxLength(100)]
    public string Id { get; set; } = "";

    /// <summary>What users see; the id when empty.</summary>
    [MaxLength(60)]
    public string? Name { get; set; }

    /// <summary>Only for Premium users.</summary>
    public bool Premium { get; set; }

    /// <summary>It accepts images.</summary>
    public bool Vision { get; set; }
}

/// <summary>Any OpenAI-compatible chat-completions endpoint: OpenAI, Azure, Ollama, vLLM, llama.cpp, LM Studio.</summary>
public sealed class OpenAIOptions
{
    /// <summary><c>OPENAI_API_KEY</c>. Setting it (or an endpoint) switches from the built-in bot to the model.</summary>
    public string? ApiKey { get; set; }

    /// <summary><c>OPENAI_BASE_URL</c>, e.g. http://localhost:11434/v1 for Ollama. Empty means api.openai.com.</summary>
    [Url]
    public string? Endpoint { get; set; }

    /// <summary><c>OPENAI_MODEL</c>: the model for the free plan (and for premium unless set below).</summary>
    [MaxLength(200)]
    public string Model { get; set; } = "gpt-4o-mini";

    /// <summary><c>OPENAI_PREMIUM_MODEL</c>: the model for premium users; empty means the same as the free plan.</summary>
    [MaxLength(200)]
    public string? PremiumModel { get; set; }

    /// <summary>Extra HTTP headers for every request (e.g. an API gateway's key, OpenRouter's HTTP-Referer).</summary>
    public Dictionary<string, string> Headers { get; set; } = [];

    /// <summary>Send <c>max_tokens</c> instead of <c>max_completion_tokens</c>, for servers that only know the old name.</summary>
    public bool SendMaxTokens { get; set; }

    /// <summary><c>Bot__OpenAI__Vision</c>: the model accepts images (sent as image parts). Off: images can't be sent to it.</summary>
    public bool Vision { get; set; }

    /// <summary><c>Bot__OpenAI__PremiumVision</c>: the same for the premium model; unset, as <see cref="Vision"/>.</summary>
    public bool? PremiumVision { get; set; }

    public string ModelFor(Auth.Plan plan) =>
        plan == Auth.Plan.Premium && !string.IsNullOrWhiteSpace(PremiumModel) ? PremiumModel : Model;

    public bool IsConfigured => !string.IsNullOrWhiteSpace(ApiKey) || !string.IsNullOrWhiteSpace(Endpoint);

    /// <summary>The model a reply is counted under on the dashboard: the one chosen, else the plan's; "built-in" without a server.</summary>
    public string NameFor(Auth.Plan plan, string? chosen) => chosen ?? (IsConfigured ? ModelFor(plan) : "built-in");
}
