using Microsoft.EntityFrameworkCore;
using Parley.Data;

namespace Parley.Features.Chats;

public static class ChatQueries
{
    /// <summary>True when message <paramref name="messageId"/> is in chat <paramref name="chatId"/> and the chat is the user's.</summary>
    public static Task<bool> OwnsMessageAsync(this AppDbContext db, Guid userId, long chatId, long messageId, CancellationToken ct) =>
        db.Messages.AnyAsync(m => m.Id == messageId && m.ChatId == chatId && db.Chats.Any(c => c.Id == chatId && c.UserId == userId), ct);
}
