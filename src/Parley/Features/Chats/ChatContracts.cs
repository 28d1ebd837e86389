using System.ComponentModel.DataAnnotations;
using Parley.Features.Usage;

namespace Parley.Features.Chats;

public sealed record CreateChatRequest([property: MaxLength(Chat.MaxTitleLength)] string? Title = null);

public sealed record RenameChatRequest([property: Required, MaxLength(Chat.MaxTitleLength)] string Title);

/// <summary>
/// Marks a message's text. The length limit is configurable, so the handler checks it (with a message that says how
/// long the text was) and the OpenAPI document states it from the same setting.
/// </summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class MessageTextAttribute : Attribute;

/// <summary><c>AttachmentIds</c>: files uploaded for this message (<c>POST /api/attachments</c>); the text may then be empty.</summary>
public sealed record SendMessageRequest(
    [property: Required(AllowEmptyStrings = true), MessageText] string Content, [property: MaxLength(20)] IReadOnlyList<Guid>? AttachmentIds = null);

/// <summary><c>ModelId</c>: the model chosen for this chat (null: the user's default, or the plan's).</summary>
public sealed record ChatResponse(long Id, string Title, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, string? ModelId = null);

public sealed record ChatPage(IReadOnlyList<ChatResponse> Items, string? NextCursor);

/// <summary>
/// <c>Siblings</c>: the ids of this message and its alternatives (edits, regenerations), oldest first.
/// <c>Feedback</c>: on a reply, the user's thumbs up or down, if any. <c>Attachments</c>: the files sent with it.
/// </summary>
public sealed record MessageResponse(
    long Id, long ChatId, long? ParentId, MessageRole Role, string Content, MessageStatus Status, DateTimeOffset CreatedAt,
    int? InputTokens, int? OutputTokens, IReadOnlyList<long> Siblings, MessageFeedback? Feedback = null,
    IReadOnlyList<Attachments.AttachmentResponse>? Attachments = null);

/// <summary>Prompts to offer on an empty chat, as the operator set them (at most four).</summary>
public sealed record SuggestionsResponse(IReadOnlyList<string> Suggestions);

/// <summary>A rating of a reply; null takes it back.</summary>
public sealed record FeedbackRequest(MessageFeedback? Rating);

/// <summary>
/// <c>AttachmentIds</c>: which of the edited message's files go with the edit (left out: all of them; empty: none).
/// The text may be empty when a file goes.
/// </summary>
public sealed record EditMessageRequest(
    [property: Required(AllowEmptyStrings = true), MessageText] string Content, [property: MaxLength(20)] IReadOnlyList<Guid>? AttachmentIds = null);

public sealed record SwitchBranchRequest([property: Required] long MessageId);

/// <summary>
/// A page of history in reading order (oldest first). <c>NextCursor</c>, passed as <c>before</c>, fetches the page
/// before it; <c>NewerCursor</c>, passed as <c>after</c>, the one after it (set when the page is not the newest).
/// <c>OnActiveBranch</c> is false for a page around a message on another branch: the client switches to it
/// (<c>PUT /api/chats/{id}/branch</c>) to carry on from there.
/// </summary>
public sealed record MessagePage(
    IReadOnlyList<MessageResponse> Items, long? NextCursor, long? NewerCursor = null, bool OnActiveBranch = true);

public sealed record SendMessageResponse(MessageResponse UserMessage, MessageResponse Reply, ChatResponse Chat, UsageResponse Usage);

public static class ChatMappings
{
    public static ChatResponse ToResponse(this Chat chat) =>
        new(chat.Id, chat.Title, Utc(chat.CreatedAt), Utc(chat.UpdatedAt), chat.ModelId);

    public static MessageResponse ToResponse(this Message m, IReadOnlyList<long>? siblings = null) =>
        new(m.Id, m.ChatId, m.ParentId, m.Role, m.Content, m.Status, Utc(m.CreatedAt), m.InputTokens, m.OutputTokens, siblings ?? [m.Id],
            m.Feedback);

    private static DateTimeOffset Utc(DateTime value) => new(DateTime.SpecifyKind(value, DateTimeKind.Utc));
}
