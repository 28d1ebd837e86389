using Microsoft.EntityFrameworkCore;
using Parley.Data;
using Parley.Features.Usage;

namespace Parley.Features.Chats;

public abstract record SendOutcome
{
    public sealed record Sent(SendMessageResponse Response) : SendOutcome;
    public sealed record Started(Generation Generation, MessageResponse Question, MessageResponse Reply, ChatResponse Chat, UsageResponse Usage) : SendOutcome;
    public sealed record ChatNotFound : SendOutcome;
    public sealed record NotRetryable(string Title, string Reason) : SendOutcome;
    public sealed record QuotaExceeded(UsageResponse Usage) : SendOutcome;
    public sealed record BotFailed(MessageResponse UserMessage, UsageResponse Usage) : SendOutcome;

    /// <summary>The message's files can't go with it (gone, too many, too large, images the model can't see): nothing was sent.</summary>
    public sealed record AttachmentsRefused(Attachments.AttachRefusal Refusal) : SendOutcome;

    /// <summary>An edit left with neither text nor files: nothing was sent.</summary>
    public sealed record Empty : SendOutcome;

    /// <summary>This instance is shutting down: nothing was stored or counted; the client sends again (elsewhere).</summary>
    public sealed record ShuttingDown : SendOutcome;
}

/// <summary>
/// Sending a message: store it and take quota atomically, with an empty reply to fill; then the reply is generated
/// in the background (<see cref="ReplyGenerations"/>) while the caller streams it or waits for it. Each start is one
/// transaction the execution strategy may run again after a transient failure (see <see cref="DatabaseRetries"/>).
/// </summary>
public sealed class ChatService(
    AppDbContext db, QuotaService quota, ReplyGenerations generations, HeadStarts headStarts, ReplyLeases leases, Branches branches,
    Attachments.AttachmentMessages attachments, Billing.Entitlements entitlements, Bot.ModelCatalog models, TimeProvider time,
    Hosting.ParleyMetrics metrics, Analytics.AnalyticsRecorder analytics)
{
    /// <summary>The model the chat's next reply uses (null: the plan's own), for what it can be sent.</summary>
    private async Task<string?> ModelAsync(Guid userId, Chat chat, Auth.Plan plan, CancellationToken ct) =>
        models.All.Count == 0 ? null
            : models.Resolve(plan, chat.ModelId, await db.Users.Where(u => u.Id == userId).Select(u => u.DefaultModel).SingleOrDefaultAsync(ct));

    /// <summary>
    /// Starts a reply to a new message; the caller follows <see cref="SendOutcome.Started.Generation"/>. The model is
    /// asked while the quota is taken (a <see cref="HeadStart"/>), and its call is dropped when the send does not start.
    /// </summary>
    public async Task<SendOutcome> StartAsync(Guid userId, long chatId, string content, IReadOnlyList<Guid> files, CancellationToken ct)
    {
        using var taking = headStarts.BeginTaking();
        // A head start asks with the text alone; a message with files waits for them to be attached.
        var head = files.Count == 0 ? headStarts.Begin(userId, chatId, content) : null;
        SendOutcome? outcome = null;
        try
        {
            outcome = await db.RetryingAsync(token => StartOnceAsync(userId, chatId, content, files, head, token), ct);
            return outcome;
        }
        finally
        {
            if (outcome is not SendOutcome.Started)
            {
                head?.Abandon();
            }
        }
    }

    private async Task<SendOutcome> StartOnceAsync(
        Guid userId, long chatId, string content, IReadOnlyList<Guid> files, HeadStart? head, CancellationToken ct)
    {
        await using var tx = await quota.BeginAsync(userId, ct);
        var chat = await db.Chats.SingleOrDefaultAsync(c => c.Id == chatId && c.UserId == userId, ct);
        if (chat is null)
        {
            return new SendOutcome.ChatNotFound();
        }

        var now = time.UtcNowAsStored();
        var message = new Message { ChatId = chat.Id, ParentId = chat.ActiveLeafId, Role = MessageRole.User, Content = content, CreatedAt = now };
        db.Messages.Add(message);
        var firstMessage = !chat.HasTitle;
        if (firstMessage)
        {
            chat.Title = ChatTitles.FromFirstMessage(content);
            chat.HasTitle = true;
        }

        await db.SaveChangesAsync(ct);
        if (files.Count > 0)
        {
            var plan = (await entitlements.ForAsync(userId, ct)).IsPremium ? Auth.Plan.Premium : Auth.Plan.Free;
            if (await attachments.AttachAsync(userId, message.Id, files, plan, await ModelAsync(userId, chat, plan, ct), ct) is { } refusal)
            {
                await tx.RollbackAsync(ct); // nothing was sent: the message, the title and the files stay as they were
                return new SendOutcome.AttachmentsRefused(refusal);
            }

            if (firstMessage && content.Length == 0)
            {
                chat.Title = ChatTitles.FromFirstMessage(await attachments.FirstNameAsync(message.Id, ct));
                await db.SaveChangesAsync(ct);
            }
        }

        return await TakeAndStartAsync(tx, userId, chat, message, ct, head: head);
    }

    /// <summary>Asks again for a reply to the chat's last message, whose earlier reply failed.</summary>
    public Task<SendOutcome> StartRetryAsync(Guid userId, long chatId, long messageId, CancellationToken ct) =>
        db.RetryingAsync(token => StartRetryOnceAsync(userId, chatId, messageId, token), ct);

    private async Task<SendOutcome> StartRetryOnceAsync(Guid userId, long chatId, long messageId, CancellationToken ct)
    {
        await using var tx = await quota.BeginAsync(userId, ct);
        if (await FindAsync(userId, chatId, messageId, ct) is not ({ } chat, { } message))
        {
            return new SendOutcome.ChatNotFound();
        }

        if (message.Status != MessageStatus.ReplyFailed || chat.ActiveLeafId != message.Id)
        {
            return new SendOutcome.NotRetryable("Nothing to retry", "Only the last message of a chat, whose reply failed, can be retried.");
        }

        message.Status = MessageStatus.Complete;
        return await TakeAndStartAsync(tx, userId, chat, message, ct);
    }

    /// <summary>Generates another reply to the question <paramref name="replyId"/> answered: a sibling of that reply.</summary>
    public Task<SendOutcome> StartRegenerateAsync(Guid userId, long chatId, long replyId, CancellationToken ct) =>
        db.RetryingAsync(token => StartRegenerateOnceAsync(userId, chatId, replyId, token), ct);

    private async Task<SendOutcome> StartRegenerateOnceAsync(Guid userId, long chatId, long replyId, CancellationToken ct)
    {
        await using var tx = await quota.BeginAsync(userId, ct);
        if (await FindAsync(userId, chatId, replyId, ct) is not ({ } chat, { } reply))
        {
            return new SendOutcome.ChatNotFound();
        }

        var question = await QuestionOfAsync(reply, ct);
        if (reply.Role != MessageRole.Assistant || question is null || reply.Status == MessageStatus.Streaming)
        {
            return new SendOutcome.NotRetryable("Nothing to regenerate", "Only a finished reply can be regenerated.");
        }

        return await TakeAndStartAsync(tx, userId, chat, question, ct);
    }

    /// <summary>
    /// Writes on from a stopped or interrupted reply's kept text, in the same message; it takes a message of quota, as
    /// the model is called again. Only the end of a branch can be continued (nothing may follow the reply).
    /// </summary>
    public Task<SendOutcome> StartContinueAsync(Guid userId, long chatId, long replyId, CancellationToken ct) =>
        db.RetryingAsync(token => StartContinueOnceAsync(userId, chatId, replyId, token), ct);

    private async Task<SendOutcome> StartContinueOnceAsync(Guid userId, long chatId, long replyId, CancellationToken ct)
    {
        await using var tx = await quota.BeginAsync(userId, ct);
        if (await FindAsync(userId, chatId, replyId, ct) is not ({ } chat, { } reply))
        {
            return new SendOutcome.ChatNotFound();
        }

        var question = await QuestionOfAsync(reply, ct);
        if (reply.Role != MessageRole.Assistant || reply.Status is not (MessageStatus.Stopped or MessageStatus.Interrupted) ||
            reply.Content.Length == 0 || question is null || await db.Messages.AnyAsync(m => m.ParentId == reply.Id, ct))
        {
            return new SendOutcome.NotRetryable("Nothing to continue",
                "Only a stopped or interrupted reply with some text, and nothing after it, can be continued.");
        }

        return await TakeAndStartAsync(tx, userId, chat, question, ct, reply);
    }

    /// <summary>
    /// Starts a new branch: <paramref name="content"/> as a sibling of user message <paramref name="messageId"/>, with
    /// the original's files in <paramref name="keepFiles"/> (null: all of them).
    /// </summary>
    public Task<SendOutcome> StartEditAsync(
        Guid userId, long chatId, long messageId, string content, IReadOnlyList<Guid>? keepFiles, CancellationToken ct) =>
        db.RetryingAsync(token => StartEditOnceAsync(userId, chatId, messageId, content, keepFiles, token), ct);

    private async Task<SendOutcome> StartEditOnceAsync(
        Guid userId, long chatId, long messageId, string content, IReadOnlyList<Guid>? keepFiles, CancellationToken ct)
    {
        await using var tx = await quota.BeginAsync(userId, ct);
        if (await FindAsync(userId, chatId, messageId, ct) is not ({ } chat, { } original))
        {
            return new SendOutcome.ChatNotFound();
        }

        if (original.Role != MessageRole.User)
        {
            return new SendOutcome.NotRetryable("Cannot edit this message", "Only your own messages can be edited.");
        }

        var edited = new Message
        {
            ChatId = chat.Id,
            ParentId = original.ParentId,
            Role = MessageRole.User,
            Content = content,
            CreatedAt = time.UtcNowAsStored(),
        };
        db.Messages.Add(edited);
        await db.SaveChangesAsync(ct);
        if (keepFiles is not { Count: 0 })
        {
            var plan = (await entitlements.ForAsync(userId, ct)).IsPremium ? Auth.Plan.Premium : Auth.Plan.Free;
            if (await attachments.KeepAsync(original.Id, edited.Id, keepFiles, plan, await ModelAsync(userId, chat, plan, ct), ct) is { } refusal)
            {
                await tx.RollbackAsync(ct);
                return new SendOutcome.AttachmentsRefused(refusal);
            }
        }

        if (content.Length == 0 && !await attachments.AnyAsync(edited.Id, ct))
        {
            await tx.RollbackAsync(ct); // an edit with neither text nor files would ask the model about nothing
            return new SendOutcome.Empty();
        }

        return await TakeAndStartAsync(tx, userId, chat, edited, ct);
    }

    /// <summary>Makes the branch through <paramref name="messageId"/> active (its newest continuation).</summary>
    public async Task<bool> SwitchBranchAsync(Guid userId, long chatId, long messageId, CancellationToken ct)
    {
        if (!await db.OwnsMessageAsync(userId, chatId, messageId, ct))
        {
            return false;
        }

        var leaf = await branches.NewestLeafAsync(messageId, ct);
        await db.Chats.Where(c => c.Id == chatId).ExecuteUpdateAsync(s => s.SetProperty(c => c.ActiveLeafId, leaf), ct);
        return true;
    }

    /// <summary>Runs a started reply to its end: for callers that want the whole reply in one response.</summary>
    public static async Task<SendOutcome> CompleteAsync(SendOutcome started)
    {
        if (started is not SendOutcome.Started s)
        {
            return started;
        }

        await s.Generation.Completion;
        return s.Generation.Outcome switch
        {
            { Reply: { } reply } o => new SendOutcome.Sent(new SendMessageResponse(o.Question, reply, s.Chat with { UpdatedAt = reply.CreatedAt }, o.Usage)),
            { } o => new SendOutcome.BotFailed(o.Question, o.Usage),
            // Not stored (the database stayed away): the reply as the lease sweep will close it.
            null when s.Generation.Lost is { } kept => new SendOutcome.Sent(new SendMessageResponse(s.Question, kept, s.Chat, s.Usage)),
            null => new SendOutcome.BotFailed(s.Question with { Status = MessageStatus.ReplyFailed }, s.Usage),
        };
    }

    /// <summary>The user's chat and one of its messages, tracked; null when either is missing or not theirs.</summary>
    private async Task<(Chat Chat, Message Message)?> FindAsync(Guid userId, long chatId, long messageId, CancellationToken ct)
    {
        var chat = await db.Chats.SingleOrDefaultAsync(c => c.Id == chatId && c.UserId == userId, ct);
        var message = chat is null ? null : await db.Messages.SingleOrDefaultAsync(m => m.Id == messageId && m.ChatId == chatId, ct);
        return chat is null || message is null ? null : (chat, message);
    }

    /// <summary>The message <paramref name="reply"/> answers, tracked; null for a message without a parent.</summary>
    private async Task<Message?> QuestionOfAsync(Message reply, CancellationToken ct) =>
        reply.ParentId is { } parent ? await db.Messages.SingleOrDefaultAsync(m => m.Id == parent, ct) : null;

    /// <summary>
    /// Takes a message of quota and starts the reply to <paramref name="question"/>: a new one, or
    /// <paramref name="continuing"/> written on from its text.
    /// </summary>
    private async Task<SendOutcome> TakeAndStartAsync(
        Microsoft.EntityFrameworkCore.Storage.IDbContextTransaction tx, Guid userId, Chat chat, Message question, CancellationToken ct,
        Message? continuing = null, HeadStart? head = null)
    {
        if (generations.Draining)
        {
            await tx.RollbackAsync(ct);
            return new SendOutcome.ShuttingDown();
        }

        var (entry, usage) = await quota.TryTakeAsync(userId, question.Id, ct);
        if (entry is null)
        {
            metrics.Refused(usage.Plan.ToString());
            // Rolling back drops the message too: a send over the limit leaves nothing behind but the dashboard's count.
            await tx.RollbackAsync(ct);
            await analytics.RecordAsync(Analytics.AnalyticsKind.LimitReached, userId, usage.Plan == Auth.Plan.Premium);
            return new SendOutcome.QuotaExceeded(usage);
        }

        var now = time.UtcNowAsStored();
        var continuation = continuing is null ? null
            : new Continuation(continuing.Content, continuing.Status, continuing.InputTokens, continuing.OutputTokens);
        var reply = continuing ?? new Message
        {
            ChatId = chat.Id,
            ParentId = question.Id,
            Role = MessageRole.Assistant,
            Content = "",
            CreatedAt = now,
        };
        (reply.Status, reply.LeaseOwner, reply.LeaseExpiresAt) = (MessageStatus.Streaming, ReplyLeases.Instance, leases.LeaseFrom(now));
        if (continuing is null)
        {
            db.Messages.Add(reply);
        }

        chat.UpdatedAt = now;
        await db.SaveChangesAsync(ct);
        chat.ActiveLeafId = reply.Id;
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        metrics.Sent(usage.Plan.ToString());

        var files = await attachments.ForMessagesAsync([question.Id], ct);
        var (asked, created) = (question.ToResponse() with { Attachments = files.GetValueOrDefault(question.Id) }, reply.ToResponse());
        var generation = generations.Start(userId, usage, chat.Id, asked, created, entry, continuation, head);
        return new SendOutcome.Started(generation, asked, created, chat.ToResponse(), usage);
    }
}

public static class ChatTitles
{
    private const int MaxLength = 48;

    /// <summary>The first line of the first message, squeezed to a few words: "How do I bake sourdough…".</summary>
    public static string FromFirstMessage(string content)
    {
        var words = content.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        var title = "";
        foreach (var word in words)
        {
            var next = title.Length == 0 ? word : $"{title} {word}";
            if (next.Length > MaxLength)
            {
                return (title.Length == 0 ? word[..MaxLength] : title) + "…";
            }

            title = next;
        }

        return title.Length == 0 ? Chat.DefaultTitle : title;
    }
}
