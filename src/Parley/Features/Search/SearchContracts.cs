using Parley.Features.Chats;

namespace Parley.Features.Search;

/// <summary>
/// A piece of a snippet: <c>Match</c> marks the words the query found. Text, never markup, so a message cannot
/// smuggle HTML into the results.
/// </summary>
public sealed record SnippetPart(string Text, bool Match);

/// <summary>A chat whose title matches; <c>Title</c> in parts, as a snippet.</summary>
public sealed record ChatHit(long ChatId, IReadOnlyList<SnippetPart> Title, DateTimeOffset UpdatedAt);

/// <summary>A message that matches: its chat, where it is, and the text around the match.</summary>
public sealed record MessageHit(
    long ChatId, string ChatTitle, long MessageId, MessageRole Role, IReadOnlyList<SnippetPart> Snippet, DateTimeOffset CreatedAt);

/// <summary>
/// Chats whose titles match (on the first page only), then messages, best match first and newest first among
/// equals. <c>NextCursor</c> fetches more messages.
/// </summary>
public sealed record SearchResponse(IReadOnlyList<ChatHit> Chats, IReadOnlyList<MessageHit> Messages, string? NextCursor);
