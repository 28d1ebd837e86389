using Parley.Features.Usage;
using Parley.Web;

namespace Parley.Features.Chats;

/// <summary>
/// The data of each Server-Sent Event of a reply stream, named by the event: <c>start</c>, <c>delta</c>, <c>usage</c>
/// (a <see cref="UsageResponse"/>), then <c>done</c> or <c>error</c>. The OpenAPI document lists them
/// (<see cref="ReplyStreamEvents"/>), so clients are typed by the same records the server writes.
/// </summary>
public sealed record StreamStartEvent(MessageResponse UserMessage, MessageResponse Reply, ChatResponse Chat, UsageResponse Usage);

/// <summary>New text only: the reply is the concatenation of every delta.</summary>
public sealed record StreamDeltaEvent(string Text);

/// <summary><c>UserMessage</c> is null when following a reply that was stored by the time it was followed.</summary>
public sealed record StreamDoneEvent(MessageResponse? UserMessage, StoredReplyResponse Reply, UsageResponse Usage);

/// <summary>
/// The reply as stored, without its text: that is the deltas, which the stream already sent (a long reply is not sent
/// twice). <c>Length</c> is the stored text's length in UTF-16 code units, as JavaScript counts it: a client whose
/// deltas add up to another length reads the message again.
/// </summary>
public sealed record StoredReplyResponse(
    long Id, long ChatId, long? ParentId, MessageRole Role, int Length, MessageStatus Status, DateTimeOffset CreatedAt,
    int? InputTokens, int? OutputTokens, IReadOnlyList<long> Siblings, MessageFeedback? Feedback)
{
    public static StoredReplyResponse From(MessageResponse m) =>
        new(m.Id, m.ChatId, m.ParentId, m.Role, m.Content.Length, m.Status, m.CreatedAt, m.InputTokens, m.OutputTokens, m.Siblings, m.Feedback);
}

/// <summary>
/// A problem, as in an error response. <c>MessageId</c>: the saved question, when there is one to retry;
/// <c>Usage</c>: the user's usage after the failure, when known; <c>Reply</c>: the reply as stored, when it was kept
/// (an interrupted reply keeps its text).
/// </summary>
public sealed record StreamErrorEvent(
    string Type, string Title, int Status, string Detail, long? MessageId, UsageResponse? Usage, MessageResponse? Reply)
{
    public static StreamErrorEvent ReplyFailed(long? messageId, UsageResponse? usage) => new(
        ProblemTypes.BotUnavailable, "Reply failed", StatusCodes.Status502BadGateway,
        "The assistant could not answer just now. Your message is saved and was not counted; try again.", messageId, usage, null);

    public static StreamErrorEvent NotContinued(MessageResponse reply, UsageResponse usage) => new(
        ProblemTypes.BotUnavailable, "Could not continue", StatusCodes.Status502BadGateway,
        "The assistant could not continue this reply just now. It is as it was, and this was not counted; try again.",
        reply.ParentId, usage, reply);

    public static StreamErrorEvent Interrupted(MessageResponse reply, UsageResponse? usage) => new(
        ProblemTypes.ReplyInterrupted, "Reply interrupted", StatusCodes.Status503ServiceUnavailable,
        reply.Content.Length == 0
            ? "The server writing this reply stopped before it began. Your message was not counted; regenerate to try again."
            : "The server writing this reply stopped; the text so far is kept. Regenerate for a whole answer.",
        reply.ParentId, usage, reply);
}

/// <summary>
/// The events of a reply stream, each property the data of the event of that name. Only the OpenAPI document uses
/// it (as the stream's declared type); the server writes the events one by one.
/// </summary>
public sealed record ReplyStreamEvents(
    StreamStartEvent Start, StreamDeltaEvent Delta, UsageResponse Usage, StreamDoneEvent Done, StreamErrorEvent Error);
