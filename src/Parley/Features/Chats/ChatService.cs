using Microsoft.EntityFrameworkCore;
using Parley.Data;
using Parley.Features.Bot;
using Parley.Features.Usage;

namespace Parley.Features.Chats;

public abstract record SendOutcome
{
    public sealed record Sent(SendMessageResponse Response) : SendOutcome;
    public sealed record ChatNotFound : SendOutcome;
    public sealed record NotRetryable(string Reason) : SendOutcome;
    public sealed record QuotaExceeded(UsageResponse Usage) : SendOutcome;
    public sealed record BotFailed(MessageResponse UserMessage, UsageResponse Usage) : SendOutcome;
}

/// <summary>Sending a message: take quota and store it atomically, ask the bot, store the reply or refund.</summary>
public sealed class ChatService(AppDbContext db, QuotaService quota, ChatBot bot, TimeProvider time)
{
    private const int HistoryMessages = 200;

    public async Task<SendOutcome> SendAsync(Guid userId, long chatId, string content, CancellationToken ct)
    {
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var chat = await db.Chats.SingleOrDefaultAsync(c => c.Id == chatId && c.UserId == userId, ct);
        if (chat is null)
        {
            return new SendOutcome.ChatNotFound();
        }

        var now = time.GetUtcNow().UtcDateTime;
        var message = new Message { ChatId = chat.Id, Role = MessageRole.User, Content = content, CreatedAt = now };
        db.Messages.Add(message);
        chat.UpdatedAt = now;
        if (!chat.HasTitle)
        {
            chat.Title = ChatTitles.FromFirstMessage(content);
            chat.HasTitle = true;
        }

        await db.SaveChangesAsync(ct);
        var (entry, usage) = await quota.TryTakeAsync(userId, message.Id, ct);
        if (entry is null)
        {
            // Rolling back drops the message too: a send over the limit leaves nothing behind.
            await tx.RollbackAsync(ct);
            return new SendOutcome.QuotaExceeded(usage);
        }

        await tx.CommitAsync(ct);
        return await ReplyAsync(chat, message, entry, usage);
    }

    /// <summary>Asks again for a reply to the chat's last message, whose earlier reply failed.</summary>
    public async Task<SendOutcome> RetryAsync(Guid userId, long chatId, long messageId, CancellationToken ct)
    {
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var chat = await db.Chats.SingleOrDefaultAsync(c => c.Id == chatId && c.UserId == userId, ct);
        var message = chat is null ? null : await db.Messages.SingleOrDefaultAsync(m => m.Id == messageId && m.ChatId == chatId, ct);
        if (chat is null || message is null)
        {
            return new SendOutcome.ChatNotFound();
        }

        var lastId = await db.Messages.Where(m => m.ChatId == chatId).MaxAsync(m => m.Id, ct);
        if (message.Status != MessageStatus.ReplyFailed || message.Id != lastId)
        {
            return new SendOutcome.NotRetryable("Only the last message of a chat, whose reply failed, can be retried.");
        }

        var (entry, usage) = await quota.TryTakeAsync(userId, message.Id, ct);
        if (entry is null)
        {
            await tx.RollbackAsync(ct);
            return new SendOutcome.QuotaExceeded(usage);
        }

        message.Status = MessageStatus.Complete;
        chat.UpdatedAt = time.GetUtcNow().UtcDateTime;
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return await ReplyAsync(chat, message, entry, usage);
    }

    private async Task<SendOutcome> ReplyAsync(Chat chat, Message question, UsageEntry entry, UsageResponse usage)
    {
        var history = await db.Messages.AsNoTracking()
            .Where(m => m.ChatId == chat.Id && m.Id <= question.Id && (m.Status == MessageStatus.Complete || m.Id == question.Id))
            .OrderByDescending(m => m.Id)
            .Take(HistoryMessages)
            .Select(m => new Turn(m.Role == MessageRole.User, m.Content))
            .ToListAsync();
        history.Reverse();

        // The reply is stored even if the browser has gone: the request's token is deliberately not passed on, the
        // bot's own timeout bounds the wait instead.
        var text = await bot.ReplyAsync(history, CancellationToken.None);
        if (text is null)
        {
            question.Status = MessageStatus.ReplyFailed;
            await db.SaveChangesAsync(CancellationToken.None);
            await quota.RefundAsync(entry, CancellationToken.None);
            return new SendOutcome.BotFailed(question.ToResponse(), await quota.GetAsync(chat.UserId, CancellationToken.None));
        }

        var reply = new Message
        {
            ChatId = chat.Id,
            Role = MessageRole.Assistant,
            Content = text,
            CreatedAt = time.GetUtcNow().UtcDateTime,
        };
        db.Messages.Add(reply);
        chat.UpdatedAt = reply.CreatedAt;
        await db.SaveChangesAsync(CancellationToken.None);
        return new SendOutcome.Sent(new SendMessageResponse(question.ToResponse(), reply.ToResponse(), chat.ToResponse(), usage));
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
