using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Parley.Data;
using Parley.Features.Usage;
using Parley.Web;

namespace Parley.Features.Chats;

public static class ChatEndpoints
{
    private const int DefaultPageSize = 30;
    private const int MaxPageSize = 100;

    public static RouteGroupBuilder MapChats(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/chats").WithTags("Chats").RequireAuthorization()
            .ProducesProblem(StatusCodes.Status401Unauthorized);
        group.MapGet("/", List).WithName("ListChats").WithSummary("The user's chats, most recently active first.");
        group.MapPost("/", Create).WithName("CreateChat").WithSummary("Start a new, empty chat.");
        group.MapGet("/{chatId:long}", Get).WithName("GetChat").WithSummary("One chat.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        group.MapPatch("/{chatId:long}", Rename).WithName("RenameChat").WithSummary("Rename a chat.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        group.MapDelete("/{chatId:long}", Delete).WithName("DeleteChat").WithSummary("Delete a chat and its messages.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        group.MapGet("/{chatId:long}/messages", ListMessages).WithName("ListMessages")
            .WithSummary("A page of history, oldest first; nextCursor as `before` gives the page before it, newerCursor as `after` the one after; `around` a message (a search hit) the page with it.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        group.MapPost("/{chatId:long}/messages", Send).WithName("SendMessage")
            .WithSummary("Send a message and get the bot's reply and the updated usage.")
            .ProducesProblem(StatusCodes.Status402PaymentRequired).ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge).ProducesProblem(StatusCodes.Status502BadGateway)
            .ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        group.MapPost("/{chatId:long}/messages/{messageId:long}/retry", Retry).WithName("RetryReply")
            .WithSummary("Ask again for the reply to the last message, after the bot failed.")
            .ProducesProblem(StatusCodes.Status402PaymentRequired).ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status502BadGateway);
        group.MapGet("/suggestions", Suggestions).WithName("GetSuggestions")
            .WithSummary("Prompts to offer on an empty chat.");
        group.MapPut("/{chatId:long}/messages/{messageId:long}/feedback", Rate).WithName("RateReply")
            .WithSummary("Thumbs up or down on a reply (null takes it back).")
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        group.MapChatStreams();
        return group;
    }

    private static async Task<Results<Ok<ChatPage>, ValidationProblem>> List(
        AppDbContext db, HttpContext http, string? cursor, int? limit, CancellationToken ct)
    {
        if (!ChatCursor.TryParse(cursor, out var after))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]>
            {
                ["cursor"] = ["The cursor is not valid; use the nextCursor of a previous page."],
            });
        }

        var size = Math.Clamp(limit ?? DefaultPageSize, 1, MaxPageSize);
        var userId = http.User.UserId();
        var query = db.Chats.AsNoTracking().Where(c => c.UserId == userId);
        if (after is { } a)
        {
            query = query.Where(c => c.UpdatedAt < a.UpdatedAt || (c.UpdatedAt == a.UpdatedAt && c.Id < a.Id));
        }

        var chats = await query.OrderByDescending(c => c.UpdatedAt).ThenByDescending(c => c.Id)
            .Take(size + 1).ToListAsync(ct);
        var next = chats.Count > size ? new ChatCursor(chats[size - 1].UpdatedAt, chats[size - 1].Id).ToString() : null;
        return TypedResults.Ok(new ChatPage([.. chats.Take(size).Select(c => c.ToResponse())], next));
    }

    private static async Task<Created<ChatResponse>> Create(
        CreateChatRequest request, AppDbContext db, TimeProvider time, HttpContext http, CancellationToken ct)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var title = request.Title?.Trim();
        var chat = new Chat
        {
            UserId = http.User.UserId(),
            Title = string.IsNullOrEmpty(title) ? Chat.DefaultTitle : title,
            HasTitle = !string.IsNullOrEmpty(title),
            CreatedAt = now,
            UpdatedAt = now,
        };
        db.Chats.Add(chat);
        await db.SaveChangesAsync(ct);
        return TypedResults.Created($"/api/chats/{chat.Id}", chat.ToResponse());
    }

    private static async Task<Results<Ok<ChatResponse>, ProblemHttpResult>> Get(
        long chatId, AppDbContext db, HttpContext http, CancellationToken ct)
    {
        var userId = http.User.UserId();
        var chat = await db.Chats.AsNoTracking().SingleOrDefaultAsync(c => c.Id == chatId && c.UserId == userId, ct);
        return chat is null ? ChatNotFound() : TypedResults.Ok(chat.ToResponse());
    }

    private static async Task<Results<Ok<ChatResponse>, ProblemHttpResult, ValidationProblem>> Rename(
        long chatId, RenameChatRequest request, AppDbContext db, HttpContext http, CancellationToken ct)
    {
        var title = request.Title.Trim();
        if (title.Length == 0)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]>
            {
                ["title"] = ["A chat needs a title; it cannot be empty."],
            });
        }

        var userId = http.User.UserId();
        var chat = await db.Chats.SingleOrDefaultAsync(c => c.Id == chatId && c.UserId == userId, ct);
        if (chat is null)
        {
            return ChatNotFound();
        }

        chat.Title = title;
        chat.HasTitle = true;
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(chat.ToResponse());
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> Delete(
        long chatId, AppDbContext db, Attachments.AttachmentMessages attachments, HttpContext http, CancellationToken ct)
    {
        var userId = http.User.UserId();
        var deleted = await db.RetryingAsync(async token =>
        {
            await using var tx = await db.BeginWriteAsync(token);
            if (!await db.Chats.AnyAsync(c => c.Id == chatId && c.UserId == userId, token))
            {
                return 0;
            }

            // Its files are marked for the sweeper and their room given back; the usage ledger does not reference
            // messages, so no quota comes back.
            await attachments.ReleaseChatAsync(chatId, token);
            await db.Messages.Where(m => m.ChatId == chatId).ExecuteDeleteAsync(token);
            var chats = await db.Chats.Where(c => c.Id == chatId && c.UserId == userId).ExecuteDeleteAsync(token);
            await tx.CommitAsync(token);
            return chats;
        }, ct);
        return deleted == 0 ? ChatNotFound() : TypedResults.NoContent();
    }

    private static async Task<Results<Ok<MessagePage>, ProblemHttpResult, ValidationProblem>> ListMessages(
        long chatId, long? before, long? after, long? around, int? limit, AppDbContext db, HistoryPages pages, HttpContext http,
        CancellationToken ct)
    {
        if (new[] { before, after, around }.Count(c => c is not null) > 1)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]>
            {
                ["around"] = ["Ask for one page at a time: before, after or around a message, not several."],
            });
        }

        var userId = http.User.UserId();
        var chat = await db.Chats.AsNoTracking().SingleOrDefaultAsync(c => c.Id == chatId && c.UserId == userId, ct);
        if (chat is null)
        {
            return ChatNotFound();
        }

        var size = Math.Clamp(limit ?? DefaultPageSize, 1, MaxPageSize);
        return (before, after, around) switch
        {
            ({ } b, _, _) => TypedResults.Ok(await pages.BeforeAsync(chatId, b, size, ct)),
            (_, { } a, _) => TypedResults.Ok(await pages.AfterAsync(chat, a, size, ct)),
            (_, _, { } m) => await pages.AroundAsync(chat, m, size, ct) is { } page
                ? TypedResults.Ok(page)
                : TypedResults.Problem("This message does not exist in this chat; it may have been deleted.",
                    statusCode: StatusCodes.Status404NotFound, title: "Message not found", type: ProblemTypes.NotFound),
            _ => TypedResults.Ok(await pages.LatestAsync(chat, size, ct)),
        };
    }

    private static async Task<Results<Ok<SendMessageResponse>, ValidationProblem, ProblemHttpResult>> Send(
        long chatId, SendMessageRequest request, ChatService chats, IOptions<ChatOptions> options, HttpContext http,
        CancellationToken ct)
    {
        if (ValidateContent(request.Content, options.Value.MaxMessageLength, request.AttachmentIds is { Count: > 0 }) is { } invalid)
        {
            return invalid;
        }

        return Map(await ChatService.CompleteAsync(await chats.StartAsync(http.User.UserId(), chatId, request.Content.Trim(), request.AttachmentIds ?? [], ct)));
    }

    private static async Task<Results<Ok<SendMessageResponse>, ValidationProblem, ProblemHttpResult>> Retry(
        long chatId, long messageId, ChatService chats, HttpContext http, CancellationToken ct) =>
        Map(await ChatService.CompleteAsync(await chats.StartRetryAsync(http.User.UserId(), chatId, messageId, ct)));

    private static Results<Ok<SendMessageResponse>, ValidationProblem, ProblemHttpResult> Map(SendOutcome outcome) =>
        outcome switch
        {
            SendOutcome.Sent s => TypedResults.Ok(s.Response),
            SendOutcome.ChatNotFound => ChatNotFound(),
            SendOutcome.QuotaExceeded q => UsageProblems.QuotaExceeded(q.Usage),
            SendOutcome.NotRetryable n => TypedResults.Problem(n.Reason, statusCode: StatusCodes.Status409Conflict,
                title: n.Title, type: ProblemTypes.Conflict),
            SendOutcome.Empty => EmptyEdit(),
            SendOutcome.AttachmentsRefused a => TypedResults.Problem(a.Refusal.Detail, statusCode: a.Refusal.Status,
                title: a.Refusal.Title, type: a.Refusal.Type),
            SendOutcome.BotFailed f => TypedResults.Problem(
                "The assistant could not answer just now. Your message is saved and was not counted; try again.",
                statusCode: StatusCodes.Status502BadGateway, title: "Reply failed", type: ProblemTypes.BotUnavailable,
                extensions: new Dictionary<string, object?> { ["messageId"] = f.UserMessage.Id, ["usage"] = f.Usage }),
            SendOutcome.ShuttingDown => TypedResults.Problem(
                "This server is restarting. Nothing was sent or counted; send again in a moment.",
                statusCode: StatusCodes.Status503ServiceUnavailable, title: "Restarting", type: ProblemTypes.ShuttingDown),
            _ => throw new InvalidOperationException($"Unknown outcome {outcome}"),
        };

    internal static ValidationProblem? ValidateContent(string content, int max, bool hasFiles = false) =>
        string.IsNullOrWhiteSpace(content) && !hasFiles ? ContentProblem("Type a message before sending; it cannot be empty.")
        : content.Length > max ? ContentProblem($"A message can be at most {max:N0} characters; this one has {content.Length:N0}.")
        : null;

    /// <summary>The problem for an outcome that did not start a reply.</summary>
    internal static ProblemHttpResult Problem(SendOutcome outcome) => (ProblemHttpResult)(Map(outcome).Result);

    internal static ValidationProblem EmptyEdit() => ContentProblem("Type a message or keep a file before sending; it cannot be empty.");

    private static ValidationProblem ContentProblem(string message) =>
        TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["content"] = [message] }, detail: message);

    // Another user's chat gets exactly this answer too: existence is not revealed.
    private static readonly string[] BuiltInSuggestions =
        ["What is (12 + 30) * 2?", "How many messages do I have left?", "What does Premium give me?", "Show me some Markdown"];

    private static readonly string[] ModelSuggestions =
    [
        "Explain how vaccines work, in simple terms",
        "Write a friendly reminder email about an unpaid invoice",
        "Plan a relaxed three-day trip to Lisbon",
        "Help me understand a SQL JOIN with an example",
    ];

    private static Ok<SuggestionsResponse> Suggestions(IOptions<ChatOptions> chats, IOptions<Bot.BotOptions> bot)
    {
        var configured = chats.Value.Suggestions?.Select(s => s.Trim()).Where(s => s.Length > 0).ToArray();
        var suggestions = configured is { Length: > 0 } ? configured : bot.Value.OpenAI.IsConfigured ? ModelSuggestions : BuiltInSuggestions;
        return TypedResults.Ok(new SuggestionsResponse([.. suggestions.Take(4)]));
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> Rate(
        long chatId, long messageId, FeedbackRequest request, AppDbContext db, TimeProvider time, HttpContext http, CancellationToken ct)
    {
        var userId = http.User.UserId();
        var reply = await db.Messages
            .Where(m => m.Id == messageId && m.ChatId == chatId && m.Role == MessageRole.Assistant &&
                        db.Chats.Any(c => c.Id == chatId && c.UserId == userId))
            .Select(m => new { m.Status })
            .SingleOrDefaultAsync(ct);
        if (reply is null)
        {
            return TypedResults.Problem("This reply does not exist or was deleted.", statusCode: StatusCodes.Status404NotFound,
                title: "Reply not found", type: ProblemTypes.NotFound);
        }

        if (reply.Status == MessageStatus.Streaming)
        {
            return TypedResults.Problem("This reply is still being written; rate it when it is done.",
                statusCode: StatusCodes.Status409Conflict, title: "Reply not finished", type: ProblemTypes.Conflict);
        }

        // The rating and the dashboard's count of it change together: one rating per reply, its latest.
        await db.RetryingAsync(async token =>
        {
            await using var tx = await db.BeginWriteAsync(token);
            await db.Messages.Where(m => m.Id == messageId).ExecuteUpdateAsync(s => s.SetProperty(m => m.Feedback, request.Rating), token);
            await db.AnalyticsEvents.Where(e => e.MessageId == messageId && e.Kind == Analytics.AnalyticsKind.Feedback).ExecuteDeleteAsync(token);
            if (request.Rating is { } rating)
            {
                var answered = await db.AnalyticsEvents.Where(e => e.MessageId == messageId && e.Kind == Analytics.AnalyticsKind.Reply)
                    .OrderByDescending(e => e.Id).Select(e => new { e.Model, e.Premium }).FirstOrDefaultAsync(token);
                db.AnalyticsEvents.Add(new Analytics.AnalyticsEvent
                {
                    Kind = Analytics.AnalyticsKind.Feedback, UserId = userId, OccurredAt = time.UtcNowAsStored(), MessageId = messageId,
                    Model = answered?.Model, Premium = answered?.Premium ?? false, Outcome = rating == MessageFeedback.Up ? "up" : "down",
                });
                await db.SaveChangesAsync(token);
                db.ChangeTracker.Clear();
            }

            await tx.CommitAsync(token);
        }, ct);
        return TypedResults.NoContent();
    }

    internal static ProblemHttpResult ChatNotFound() => TypedResults.Problem(
        "This chat does not exist or was deleted.", statusCode: StatusCodes.Status404NotFound,
        title: "Chat not found", type: ProblemTypes.NotFound);
}
