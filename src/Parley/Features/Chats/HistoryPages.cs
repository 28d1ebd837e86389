using Microsoft.EntityFrameworkCore;
using Parley.Data;

namespace Parley.Features.Chats;

/// <summary>
/// Pages of a chat's history in reading order: the newest, the one before a message, the one after it, or the one
/// around it (a search hit). Each costs the rows it walks from the nearest end, never the whole chat.
/// </summary>
public sealed class HistoryPages(AppDbContext db, Branches branches, Attachments.AttachmentMessages attachments)
{
    /// <summary>The newest messages of the active branch.</summary>
    public Task<MessagePage> LatestAsync(Chat chat, int size, CancellationToken ct) => OlderFromAsync(chat.Id, chat.ActiveLeafId, size, ct);

    /// <summary>The messages of the branch just above <paramref name="before"/>.</summary>
    public async Task<MessagePage> BeforeAsync(long chatId, long before, int size, CancellationToken ct)
    {
        var start = await db.Messages.Where(m => m.Id == before && m.ChatId == chatId).Select(m => m.ParentId).SingleOrDefaultAsync(ct);
        return await OlderFromAsync(chatId, start, size, ct);
    }

    /// <summary>The messages of the active branch just below <paramref name="after"/>; none when it is not on it.</summary>
    public async Task<MessagePage> AfterAsync(Chat chat, long after, int size, CancellationToken ct)
    {
        if (chat.ActiveLeafId is not { } leaf)
        {
            return new MessagePage([], null);
        }

        var chain = await branches.IdsUpToAsync(leaf, after, ct);
        if (chain[^1] != after)
        {
            return new MessagePage([], null, OnActiveBranch: false);
        }

        var newer = Enumerable.Reverse(chain[..^1]).ToList();
        var page = await branches.MessagesAsync([.. newer.Take(size)], ct);
        return await PageAsync(chat.Id, page, null, newer.Count > size ? page[^1].Id : null, true, ct);
    }

    /// <summary>
    /// Up to <paramref name="size"/> messages with <paramref name="messageId"/> among them, on the active branch when
    /// it is on it; otherwise on the branch that showing it would make active (its newest continuation), which
    /// <c>OnActiveBranch = false</c> says. Null when the message is not in the chat.
    /// </summary>
    public async Task<MessagePage?> AroundAsync(Chat chat, long messageId, int size, CancellationToken ct)
    {
        if (!await db.Messages.AnyAsync(m => m.Id == messageId && m.ChatId == chat.Id, ct))
        {
            return null;
        }

        var chain = chat.ActiveLeafId is { } leaf ? await branches.IdsUpToAsync(leaf, messageId, ct) : [];
        var onActive = chain.Count > 0 && chain[^1] == messageId;
        if (!onActive)
        {
            chain = await branches.IdsUpToAsync(await branches.NewestLeafAsync(messageId, ct), messageId, ct);
        }

        // Half the page below the message (what came after it) when there is that much, the rest above it.
        var below = Enumerable.Reverse(chain[..^1]).ToList();
        var aboveWanted = size - Math.Min(below.Count, size / 2);
        var path = await branches.PathAsync(messageId, aboveWanted + 1, ct);
        var hasOlder = path.Count > aboveWanted;
        var above = hasOlder ? path[1..] : path;
        var belowTaken = Math.Min(below.Count, size - above.Count);
        var page = above.Concat(await branches.MessagesAsync([.. below.Take(belowTaken)], ct)).ToList();
        return await PageAsync(chat.Id, page, hasOlder ? page[0].Id : null, below.Count > belowTaken ? page[^1].Id : null, onActive, ct);
    }

    private async Task<MessagePage> OlderFromAsync(long chatId, long? start, int size, CancellationToken ct)
    {
        if (start is null)
        {
            return new MessagePage([], null);
        }

        var path = await branches.PathAsync(start.Value, size + 1, ct);
        var page = path.Count > size ? path[1..] : path;
        return await PageAsync(chatId, page, path.Count > size ? page[0].Id : null, null, true, ct);
    }

    private async Task<MessagePage> PageAsync(
        long chatId, List<Message> page, long? older, long? newer, bool onActive, CancellationToken ct)
    {
        var siblings = await branches.SiblingsAsync(chatId, page, ct);
        var files = await attachments.ForMessagesAsync([.. page.Where(m => m.Role == MessageRole.User).Select(m => m.Id)], ct);
        return new MessagePage([.. page.Select(m => m.ToResponse(siblings[m.Id]) with { Attachments = files.GetValueOrDefault(m.Id) })], older, newer, onActive);
    }
}
