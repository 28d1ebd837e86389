using System.ComponentModel.DataAnnotations;

namespace Parley.Features.Chats;

public sealed class ChatOptions
{
    public const string SectionName = "Chats";

    /// <summary><c>MAX_MESSAGE_LENGTH</c>: characters in one message.</summary>
    [Range(1, 100_000)]
    public int MaxMessageLength { get; set; } = 8000;

    /// <summary>
    /// How long a reply's generating instance holds it without renewing. It renews every third of this, and every
    /// instance sweeps as often, so a reply whose instance died is closed within about 1⅓ of this.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:10:00")]
    public TimeSpan ReplyLease { get; set; } = TimeSpan.FromSeconds(6);

    /// <summary>
    /// How often the text of a reply being generated is written to its row: what survives a killed instance, and
    /// what a follower on another instance falls back to when a notice is lost.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "01:00:00")]
    public TimeSpan ReplyFlushInterval { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>
    /// After sending a follower a piece of a reply, how long to gather the next tokens before sending them as one
    /// <c>delta</c>: fewer, larger events (bytes on the wire close to the text itself) for no delay a reader sees.
    /// The first piece is sent at once. Zero sends every token as it comes.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:00:01")]
    public TimeSpan DeltaInterval { get; set; } = TimeSpan.FromMilliseconds(25);

    /// <summary>
    /// Ask the model for a new message's reply while its quota is being taken, so the first token does not wait on
    /// the database. A send that is then refused costs one cancelled model call; only users this instance last saw
    /// with a message left get one. Off: the model is called only after the quota is taken.
    /// </summary>
    public bool HeadStart { get; set; } = true;

    /// <summary>
    /// The prompts offered on an empty chat (<c>Chats__Suggestions__0</c>, <c>__1</c>, …; up to four are shown). Unset:
    /// what the built-in assistant can answer, or general prompts once a model is connected.
    /// </summary>
    public List<string>? Suggestions { get; set; }
}
