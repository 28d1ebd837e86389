using System.IO.Compression;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.EntityFrameworkCore;
using Parley.Data;
using Parley.Features.Attachments;
using Parley.Features.Chats;

namespace Parley.Features.Account;

/// <summary>
/// Writes a user's export: <c>profile.json</c>, <c>usage.json</c> (the ledger and subscriptions), and per chat
/// <c>chats/{id}-{title}.json</c> (every message of every branch, with parents) and <c>.md</c> (the conversation as
/// shown, the active branch), with the files attached in <c>files/</c>. Chats are read one at a time, files copied
/// as streams: a large account never sits in memory.
/// </summary>
public sealed class ExportWriter(AppDbContext db, IFileStore store, TimeProvider time)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        Converters = { new JsonStringEnumConverter() },
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public async Task WriteAsync(Guid userId, Stream output, CancellationToken ct)
    {
        using var zip = new ZipArchive(output, ZipArchiveMode.Create, leaveOpen: true);
        var now = time.GetUtcNow();
        var user = await db.Users.AsNoTracking().Where(u => u.Id == userId)
            .Select(u => new { u.Email, u.DisplayName, u.AboutYou, u.ReplyStyle, u.CreatedAt, u.IsPremium, u.StorageBytes }).SingleAsync(ct);
        await WriteJsonAsync(zip, "profile.json", new
        {
            user.Email,
            user.DisplayName,
            CustomInstructions = new { WhatParleyShouldKnow = user.AboutYou, HowParleyShouldReply = user.ReplyStyle },
            user.CreatedAt,
            PremiumGrantedByOperator = user.IsPremium,
            user.StorageBytes,
            ExportedAt = now,
        }, ct);
        await WriteJsonAsync(zip, "usage.json", new
        {
            Ledger = await db.UsageEntries.AsNoTracking().Where(e => e.UserId == userId).OrderBy(e => e.Id)
                .Select(e => new { e.Kind, e.OccurredAt, e.MessageId, e.RefundsEntryId, Tokens = e.Tokens == 0 ? (int?)null : e.Tokens })
                .ToListAsync(ct),
            Subscriptions = await db.Subscriptions.AsNoTracking().Where(s => s.UserId == userId)
                .Select(s => new { s.Id, s.Status, s.PriceId, s.CurrentPeriodEnd, s.CancelAtPeriodEnd, s.UpdatedAt }).ToListAsync(ct),
        }, ct);

        var chats = await db.Chats.AsNoTracking().Where(c => c.UserId == userId).OrderBy(c => c.Id)
            .Select(c => new { c.Id, c.Title, c.CreatedAt, c.UpdatedAt, c.ActiveLeafId }).ToListAsync(ct);
        foreach (var chat in chats)
        {
            var messages = await db.Messages.AsNoTracking().Where(m => m.ChatId == chat.Id).OrderBy(m => m.Id).ToListAsync(ct);
            var ids = messages.Select(m => (long?)m.Id).ToList();
            var files = await db.Attachments.AsNoTracking()
                .Where(a => a.UserId == userId && a.DeletedAt == null && a.StoredAt != null && ids.Contains(a.MessageId)).OrderBy(a => a.CreatedAt)
                .ToListAsync(ct);
            var byMessage = files.ToLookup(a => a.MessageId!.Value);
            var name = $"chats/{chat.Id}-{Slug(chat.Title)}";
            foreach (var file in files)
            {
                await CopyFileAsync(zip, file, ct);
            }

            await WriteJsonAsync(zip, name + ".json", new
            {
                chat.Id,
                chat.Title,
                chat.CreatedAt,
                chat.UpdatedAt,
                chat.ActiveLeafId,
                Messages = messages.Select(m => new
                {
                    m.Id,
                    m.ParentId,
                    m.Role,
                    m.Content,
                    m.Status,
                    m.CreatedAt,
                    m.InputTokens,
                    m.OutputTokens,
                    m.Feedback,
                    Files = byMessage[m.Id].Select(FilePath).ToList() is { Count: > 0 } paths ? paths : null,
                }),
            }, ct);
            await WriteTextAsync(zip, name + ".md", Markdown(chat.Title, chat.CreatedAt, chat.ActiveLeafId, messages, byMessage, now), ct);
        }

        await WriteTextAsync(zip, "README.txt",
            $"""
            Your Parley data, exported {now:yyyy-MM-dd HH:mm} UTC.

            profile.json    your account: email, name, custom instructions
            usage.json      every message and token counted against your plan, and your subscriptions
            chats/*.json    each chat with every message of every branch (parentId links a message to the one it answers)
            chats/*.md      each chat as it reads in Parley (the branch shown last)
            files/          the files you attached, as stored (images without their metadata)
            """, ct);
    }

    /// <summary>The active branch, root to leaf, as a readable conversation.</summary>
    private static string Markdown(string title, DateTime created, long? leaf, List<Message> messages, ILookup<long, Attachment> files, DateTimeOffset now)
    {
        var byId = messages.ToDictionary(m => m.Id);
        var branch = new List<Message>();
        for (var id = leaf; id is { } current && byId.TryGetValue(current, out var message); id = message.ParentId)
        {
            branch.Add(message);
        }

        branch.Reverse();
        var text = new StringBuilder();
        text.Append("# ").AppendLine(title).AppendLine();
        text.Append(System.Globalization.CultureInfo.InvariantCulture, $"*Started {created:yyyy-MM-dd HH:mm} UTC, exported {now:yyyy-MM-dd HH:mm} UTC.");
        if (messages.Count > branch.Count)
        {
            text.Append(" Other branches (edits and regenerated replies) are in the .json file beside this one.");
        }

        text.AppendLine("*").AppendLine();
        foreach (var m in branch)
        {
            text.Append(System.Globalization.CultureInfo.InvariantCulture,
                $"## {(m.Role == MessageRole.User ? "You" : "Parley")} · {m.CreatedAt:yyyy-MM-dd HH:mm} UTC").AppendLine().AppendLine();
            text.AppendLine(m.Content).AppendLine();
            foreach (var file in files[m.Id])
            {
                text.Append("Attached: [").Append(file.FileName).Append("](../").Append(FilePath(file)).AppendLine(")").AppendLine();
            }
        }

        return text.ToString();
    }

    private static string FilePath(Attachment a) => $"files/{a.Id:N}-{a.FileName}";

    private async Task CopyFileAsync(ZipArchive zip, Attachment file, CancellationToken ct)
    {
        await using var source = await store.OpenReadAsync(AttachmentService.Key(file), ct);
        if (source is null)
        {
            return; // deleted meanwhile
        }

        // Images and PDFs are compressed already.
        await using var entry = zip.CreateEntry(FilePath(file), CompressionLevel.NoCompression).Open();
        await source.CopyToAsync(entry, ct);
    }

    private static async Task WriteJsonAsync(ZipArchive zip, string path, object value, CancellationToken ct)
    {
        await using var entry = zip.CreateEntry(path, CompressionLevel.Optimal).Open();
        await JsonSerializer.SerializeAsync(entry, value, Json, ct);
    }

    private static async Task WriteTextAsync(ZipArchive zip, string path, string text, CancellationToken ct)
    {
        await using var entry = zip.CreateEntry(path, CompressionLevel.Optimal).Open();
        await entry.WriteAsync(Encoding.UTF8.GetBytes(text), ct);
    }

    /// <summary>A title as a file name: letters, digits and dashes, at most 60.</summary>
    public static string Slug(string title)
    {
        var slug = new string([.. title.ToLowerInvariant().Select(c => char.IsLetterOrDigit(c) ? c : '-')]);
        slug = string.Join('-', slug.Split('-', StringSplitOptions.RemoveEmptyEntries));
        return slug.Length == 0 ? "chat" : slug[..Math.Min(60, slug.Length)].TrimEnd('-');
    }
}
