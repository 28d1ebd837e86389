using Parley.Features.Usage;

namespace Parley.Features.Bot;

/// <summary>What the built-in assistant knows: short Markdown answers about Parley, found by keywords.</summary>
internal sealed class KnowledgeBase(UsageOptions usage)
{
    public const string NoModel = "_No AI model is connected to this Parley yet, so I answer from a small built-in guide._";

    public static readonly string Fallback = $"""
        I'm Parley's built-in assistant. {NoModel}

        I can't answer that one, but here is what I can do:

        - **Arithmetic**: try `what is (12 + 30) * 2`
        - **Your limits**: ask "how many messages do I have?"
        - **Plans**: ask "what does Premium give me?"
        - **Connecting a model**: ask "how do I connect a model?"
        - **Formatting**: ask "show me markdown"
        """;

    private (string[] Keywords, Func<string> Answer)[] Topics => [
        (["hello", "hi", "hey", "good morning", "good evening"], () => $"""
            Hello! I'm Parley's built-in assistant. {NoModel}

            Ask me about your message limit, the plans, how to connect a real model, or give me a sum to work out.
            """),
        (["limit", "quota", "how many messages", "messages left", "remaining", "reset", "free plan"], () => $"""
            On the **Free** plan you can send **{usage.FreeMessageLimit} messages per {Window()}**. The window slides:
            each message counts for {Window()} after you send it, then frees up again.

            The meter under the message box shows how many you have left and when the next one frees up.
            Deleting a chat does not give messages back.
            """),
        (["premium", "upgrade", "plan", "price", "pricing", "subscribe", "subscription", "pay"], () => $"""
            **Premium** ({usage.PremiumPriceLabel}) gives you {PremiumLimit()}.

            To upgrade, open the account menu and choose **Upgrade**, or use the button that appears when you reach
            the free limit. Whatever you were typing stays in the message box.
            """),
        (["connect", "model", "openai", "ollama", "api key", "llm", "gpt", "vllm", "lm studio", "llama"], () => """
            Parley talks to any OpenAI-compatible model. The operator sets it in the environment or a `.env` file
            and restarts:

            ```bash
            OPENAI_API_KEY=sk-...
            OPENAI_BASE_URL=https://api.openai.com/v1   # or http://localhost:11434/v1 for Ollama
            OPENAI_MODEL=gpt-4o-mini
            ```

            Until then, I'm the built-in assistant and answer from a small guide.
            """),
        (["markdown", "format", "table", "code block"], () => """
            Replies are rendered as **Markdown**:

            | Feature | Example |
            | --- | --- |
            | Emphasis | **bold**, _italic_ |
            | Code | `inline` |

            ```python
            def greet(name: str) -> str:
                return f"Hello, {name}!"
            ```
            """),
        (["delete", "privacy", "my data", "rename"], () => """
            Your chats are yours: rename or delete any chat from the sidebar (the **⋯** menu). Deleting a chat removes
            its messages for good. Only you can see your chats.
            """),
        (["who are you", "what are you", "what is parley", "about parley", "your name"], () => $"""
            I'm **Parley**, a self-hosted chat assistant. {NoModel}
            """),
        (["help", "what can you do", "commands", "how does this work"], () => Fallback),
    ];

    public string? Find(string question)
    {
        var q = " " + new string(question.ToLowerInvariant().Select(c => char.IsLetterOrDigit(c) ? c : ' ').ToArray()) + " ";
        foreach (var (keywords, answer) in Topics)
        {
            if (keywords.Any(k => q.Contains($" {k} ", StringComparison.Ordinal) || (k.Length > 5 && q.Contains(k, StringComparison.Ordinal))))
            {
                return Unindent(answer());
            }
        }

        return null;
    }

    private string Window() => Describe(usage.Window);

    private string PremiumLimit() => usage.PremiumMessageLimit is { } n
        ? $"**{n} messages per {Window()}**"
        : "**unlimited messages**";

    public static string Describe(TimeSpan window) => window switch
    {
        { TotalDays: >= 1 } when window.TotalDays % 1 == 0 && window.TotalDays != 1 => $"{window.TotalDays:0} days",
        { TotalHours: >= 1 } when window.TotalHours % 1 == 0 => window.TotalHours == 1 ? "hour" : $"{window.TotalHours:0} hours",
        _ => $"{window.TotalMinutes:0} minutes",
    };

    private static string Unindent(string text) => text.Trim();
}
