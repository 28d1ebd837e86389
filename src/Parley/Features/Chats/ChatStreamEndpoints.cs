using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Parley.Data;
using Parley.Features.Usage;
using Parley.Web;

namespace Parley.Features.Chats;

/// <summary>
/// Replies as Server-Sent Events: <c>start</c> (the stored message and the reply's id), <c>delta</c> (new text only,
/// so bytes grow linearly with the reply), <c>usage</c> (the user's usage after this reply), then <c>done</c> (the
/// stored reply) or <c>error</c> (a problem).
/// </summary>
public static class ChatStreamEndpoints
{
    public static void MapChatStreams(this RouteGroupBuilder group)
    {
        group.MapPost("/{chatId:long}/messages/stream", Send).WithName("SendMessageStreaming")
            .WithSummary("Send a message and stream the reply as Server-Sent Events (start, delta, done | error).")
            .Produces<ReplyStreamEvents>(StatusCodes.Status200OK, "text/event-stream")
            .ProducesProblem(StatusCodes.Status402PaymentRequired).ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity)
            .ProducesValidationProblem();
        group.MapPost("/{chatId:long}/messages/{messageId:long}/regenerate", Regenerate).WithName("RegenerateReply")
            .WithSummary("Generate another reply to the same question (a sibling); streamed like a send.")
            .Produces<ReplyStreamEvents>(StatusCodes.Status200OK, "text/event-stream")
            .ProducesProblem(StatusCodes.Status402PaymentRequired).ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        group.MapPost("/{chatId:long}/messages/{messageId:long}/continue", Continue).WithName("ContinueReply")
            .WithSummary("Write on from a stopped or interrupted reply's text, in the same message; streamed like a send.")
            .Produces<ReplyStreamEvents>(StatusCodes.Status200OK, "text/event-stream")
            .ProducesProblem(StatusCodes.Status402PaymentRequired).ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        group.MapPost("/{chatId:long}/messages/{messageId:long}/edit", Edit).WithName("EditMessage")
            .WithSummary("Send an edited version of one of your messages, keeping or dropping its files: a new branch from there; streamed like a send.")
            .Produces<ReplyStreamEvents>(StatusCodes.Status200OK, "text/event-stream")
            .ProducesProblem(StatusCodes.Status402PaymentRequired).ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status422UnprocessableEntity)
            .ProducesValidationProblem();
        group.MapPut("/{chatId:long}/branch", SwitchBranch).WithName("SwitchBranch")
            .WithSummary("Show the branch through a message (its newest continuation); the model sees that branch.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        group.MapGet("/{chatId:long}/messages/{messageId:long}/stream", FollowReply).WithName("FollowReply")
            .WithSummary("Attach to a reply: its text so far, the rest as it comes, then done. For reloads and other tabs.")
            .Produces<ReplyStreamEvents>(StatusCodes.Status200OK, "text/event-stream")
            .ProducesProblem(StatusCodes.Status404NotFound);
        group.MapPost("/{chatId:long}/messages/{messageId:long}/stop", Stop).WithName("StopReply")
            .WithSummary("Stop a reply being generated; the text so far is kept.")
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
    }

    private static async Task<Results<ServerSentEventsResult<string>, ValidationProblem, ProblemHttpResult>> Send(
        long chatId, SendMessageRequest request, ChatService chats, IOptions<ChatOptions> options, IOptions<JsonOptions> json,
        HttpContext http, CancellationToken ct)
    {
        if (ChatEndpoints.ValidateContent(request.Content, options.Value.MaxMessageLength, request.AttachmentIds is { Count: > 0 }) is { } invalid)
        {
            return invalid;
        }

        var outcome = await chats.StartAsync(http.User.UserId(), chatId, request.Content.Trim(), request.AttachmentIds ?? [], ct);
        if (outcome is not SendOutcome.Started started)
        {
            return ChatEndpoints.Problem(outcome);
        }

        var serializer = json.Value.SerializerOptions;
        return TypedResults.ServerSentEvents(Events(started, serializer, ct));
    }

    private static async Task<Results<ServerSentEventsResult<string>, ValidationProblem, ProblemHttpResult>> Regenerate(
        long chatId, long messageId, ChatService chats, IOptions<JsonOptions> json, HttpContext http, CancellationToken ct) =>
        Stream(await chats.StartRegenerateAsync(http.User.UserId(), chatId, messageId, ct), json, ct);

    private static async Task<Results<ServerSentEventsResult<string>, ValidationProblem, ProblemHttpResult>> Continue(
        long chatId, long messageId, ChatService chats, IOptions<JsonOptions> json, HttpContext http, CancellationToken ct) =>
        Stream(await chats.StartContinueAsync(http.User.UserId(), chatId, messageId, ct), json, ct);

    private static async Task<Results<ServerSentEventsResult<string>, ValidationProblem, ProblemHttpResult>> Edit(
        long chatId, long messageId, EditMessageRequest request, ChatService chats, IOptions<ChatOptions> options,
        IOptions<JsonOptions> json, HttpContext http, CancellationToken ct)
    {
        // Whether the edit keeps a file is known once the message is found: an edit left empty is refused there.
        if (ChatEndpoints.ValidateContent(request.Content, options.Value.MaxMessageLength, request.AttachmentIds is not { Count: 0 }) is { } invalid)
        {
            return invalid;
        }

        return Stream(await chats.StartEditAsync(http.User.UserId(), chatId, messageId, request.Content.Trim(), request.AttachmentIds, ct), json, ct);
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> SwitchBranch(
        long chatId, SwitchBranchRequest request, ChatService chats, HttpContext http, CancellationToken ct) =>
        await chats.SwitchBranchAsync(http.User.UserId(), chatId, request.MessageId, ct)
            ? TypedResults.NoContent()
            : ChatEndpoints.ChatNotFound();

    private static Results<ServerSentEventsResult<string>, ValidationProblem, ProblemHttpResult> Stream(
        SendOutcome outcome, IOptions<JsonOptions> json, CancellationToken ct) =>
        outcome switch
        {
            SendOutcome.Started started => TypedResults.ServerSentEvents(Events(started, json.Value.SerializerOptions, ct)),
            SendOutcome.Empty => ChatEndpoints.EmptyEdit(),
            _ => ChatEndpoints.Problem(outcome),
        };

    private static async IAsyncEnumerable<SseItem<string>> Events(
        SendOutcome.Started started, JsonSerializerOptions json, [EnumeratorCancellation] CancellationToken ct)
    {
        yield return Item("start", new StreamStartEvent(started.Question, started.Reply, started.Chat, started.Usage), json);
        await foreach (var e in Follow(started.Generation, json, ct))
        {
            yield return e;
        }
    }

    private static async IAsyncEnumerable<SseItem<string>> Follow(
        Generation generation, JsonSerializerOptions json, [EnumeratorCancellation] CancellationToken ct)
    {
        // A closed connection ends this loop only; the generation goes on and is stored.
        await foreach (var e in generation.FollowAsync(ct))
        {
            if (e is GenerationEvent.Done { Outcome: var outcome })
            {
                yield return Item("usage", outcome.Usage, json);
            }

            yield return e switch
            {
                GenerationEvent.Delta d => Item("delta", new StreamDeltaEvent(d.Text), json),
                GenerationEvent.Done { Outcome: { NotContinued: true, Reply: { } reply } o } =>
                    Item("error", StreamErrorEvent.NotContinued(reply, o.Usage), json),
                GenerationEvent.Done { Outcome: { Reply: { Status: MessageStatus.Interrupted } reply } o } =>
                    Item("error", StreamErrorEvent.Interrupted(reply, o.Usage), json),
                GenerationEvent.Done { Outcome: { Reply: { } reply } o } => Item("done", new StreamDoneEvent(o.Question, StoredReplyResponse.From(reply), o.Usage), json),
                GenerationEvent.Done { Outcome: var o } => Failed(o.Question.Id, o.Usage, json),
                _ => throw new InvalidOperationException(),
            };
        }

        if (generation.Outcome is null)
        {
            // Not stored: the lease sweep will close it as interrupted with the text it last flushed.
            yield return generation.Lost is { } kept ? Item("error", StreamErrorEvent.Interrupted(kept, null), json) : Failed(null, null, json);
        }
    }

    private static async Task<Results<ServerSentEventsResult<string>, ProblemHttpResult>> FollowReply(
        long chatId, long messageId, AppDbContext db, ReplyGenerations generations, IReplySignals signals, QuotaService quota,
        IOptions<JsonOptions> json, HttpContext http, CancellationToken ct)
    {
        var userId = http.User.UserId();
        if (!await db.OwnsMessageAsync(userId, chatId, messageId, ct))
        {
            return ChatEndpoints.ChatNotFound();
        }

        var serializer = json.Value.SerializerOptions;
        if (generations.Find(messageId) is { } generation)
        {
            return TypedResults.ServerSentEvents(Follow(generation, serializer, ct));
        }

        // Subscribed before the first read of the row, so no piece falls between the two.
        var watch = await signals.WatchAsync(messageId, ct);
        return TypedResults.ServerSentEvents(FollowElsewhere(messageId, userId, watch, db, quota, serializer, ct));
    }

    /// <summary>
    /// A reply not generating on this instance: it finished, or another instance generates it. That instance relays
    /// each piece of text as it comes (<see cref="IReplySignals"/>); the stored row, read at the start, after the
    /// relay's end and at least every second, says how it ended, and covers for notices that never came (an owner
    /// that died, a reply that ended before it was asked). The reply's text only grows, so both sources are merged by
    /// offset and every character is sent once, in order. The events are the ones the generating instance sends.
    /// </summary>
    private static async IAsyncEnumerable<SseItem<string>> FollowElsewhere(
        long messageId, Guid userId, ReplyWatch watch, AppDbContext db, QuotaService quota, JsonSerializerOptions json,
        [EnumeratorCancellation] CancellationToken ct)
    {
        using var _ = watch;
        var sent = 0;
        long? questionId = null;
        while (true)
        {
            var message = await db.Messages.AsNoTracking().SingleOrDefaultAsync(m => m.Id == messageId, ct);
            if (message is null)
            {
                // Removed: the model failed before any text, and the message was given back.
                var failedUsage = await quota.GetAsync(userId, ct);
                yield return Item("usage", failedUsage, json);
                yield return Failed(questionId, failedUsage, json);
                yield break;
            }

            questionId = message.ParentId;
            if (message.Content.Length > sent)
            {
                yield return Item("delta", new StreamDeltaEvent(message.Content[sent..]), json);
                sent = message.Content.Length;
            }

            if (message.Status != MessageStatus.Streaming)
            {
                var usage = await quota.GetAsync(userId, ct);
                var question = await db.Messages.AsNoTracking().Where(m => m.Id == message.ParentId).SingleOrDefaultAsync(ct);
                yield return Item("usage", usage, json);
                yield return message.Status == MessageStatus.Interrupted
                    ? Item("error", StreamErrorEvent.Interrupted(message.ToResponse(), usage), json)
                    : Item("done", new StreamDoneEvent(question?.ToResponse(), StoredReplyResponse.From(message.ToResponse()), usage), json);
                yield break;
            }

            var ended = false;
            while (!ended && await watch.WaitAsync(TimeSpan.FromSeconds(1), ct))
            {
                while (watch.Notices.TryRead(out var notice))
                {
                    if (notice is ReplyNotice.Piece { Offset: var offset, Text: var text } && offset <= sent && offset + text.Length > sent)
                    {
                        yield return Item("delta", new StreamDeltaEvent(text[(sent - offset)..]), json);
                        sent = offset + text.Length;
                    }

                    ended |= notice is ReplyNotice.Ended;
                }
            }
        }
    }

    private static async Task<Results<Accepted, ProblemHttpResult>> Stop(
        long chatId, long messageId, AppDbContext db, ReplyGenerations generations, IReplySignals signals, HttpContext http,
        CancellationToken ct)
    {
        if (!await db.OwnsMessageAsync(http.User.UserId(), chatId, messageId, ct))
        {
            return ChatEndpoints.ChatNotFound();
        }

        if (generations.Stop(messageId))
        {
            return TypedResults.Accepted((string?)null);
        }

        // Not generating here: if it is still streaming, another instance generates it, and is told to stop it.
        var streaming = await db.Messages.AnyAsync(m => m.Id == messageId && m.Status == MessageStatus.Streaming, ct);
        if (streaming)
        {
            await signals.RequestStopAsync(messageId, ct);
        }

        return streaming
            ? TypedResults.Accepted((string?)null)
            : TypedResults.Problem("This reply is not being generated any more.", statusCode: StatusCodes.Status409Conflict,
                title: "Nothing to stop", type: ProblemTypes.Conflict);
    }

    private static SseItem<string> Failed(long? messageId, UsageResponse? usage, JsonSerializerOptions json) =>
        Item("error", StreamErrorEvent.ReplyFailed(messageId, usage), json);

    private static SseItem<string> Item<T>(string type, T data, JsonSerializerOptions json) =>
        new(JsonSerializer.Serialize(data, json), type);
}
