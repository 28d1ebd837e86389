using System.ComponentModel.DataAnnotations;

namespace Parley.Features.Chats;

public sealed class ChatOptions
{
    public const string SectionName = "Chats";

    /// <summary><c>MAX_MESSAGE_LENGTH</c>: characters in one message.</summary>
    [Range(1, 100_000)]
    public int MaxMessageLength { get; set; } = 8000;
}
