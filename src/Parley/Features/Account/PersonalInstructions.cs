using Microsoft.EntityFrameworkCore;
using Parley.Data;

namespace Parley.Features.Account;

/// <summary>
/// What the user asked Parley to know and how to reply, as the part of the system prompt that follows the
/// operator's. Framed as the user's own words in tags, so text in it reads as preferences, not as a new operator.
/// Read with the model the reply uses (the chat's choice, else the user's default: Bot/ModelCatalog), in one query.
/// </summary>
public sealed class PersonalInstructions(AppDbContext db, Bot.ModelCatalog models)
{
    /// <summary>What a reply in <paramref name="chatId"/> is set up with: the user's instructions, and the model (null: the plan's).</summary>
    public async Task<(string? Personal, string? Model)> ForReplyAsync(Guid userId, long chatId, Auth.Plan plan, CancellationToken ct)
    {
        var found = await db.Users.AsNoTracking().Where(u => u.Id == userId)
            .Select(u => new
            {
                u.DisplayName, u.AboutYou, u.ReplyStyle, u.DefaultModel,
                ChatModel = db.Chats.Where(c => c.Id == chatId && c.UserId == userId).Select(c => c.ModelId).FirstOrDefault(),
            }).SingleOrDefaultAsync(ct);
        return found is null
            ? (null, null)
            : (Compose(found.DisplayName, found.AboutYou, found.ReplyStyle), models.Resolve(plan, found.ChatModel, found.DefaultModel));
    }

    public static string? Compose(string? displayName, string? aboutYou, string? replyStyle)
    {
        var parts = new List<string>();
        if (!string.IsNullOrWhiteSpace(displayName))
        {
            parts.Add($"The user's name is {displayName}.");
        }

        if (!string.IsNullOrWhiteSpace(aboutYou))
        {
            parts.Add($"What the user wants you to know about them:\n<about_user>\n{aboutYou}\n</about_user>");
        }

        if (!string.IsNullOrWhiteSpace(replyStyle))
        {
            parts.Add($"How the user wants you to reply:\n<reply_style>\n{replyStyle}\n</reply_style>");
        }

        return parts.Count == 0 ? null : string.Join("\n\n", parts);
    }
}
