using Microsoft.EntityFrameworkCore;
using Parley.Data;
using Parley.Features.Bot;
using Parley.Features.Usage;

namespace Parley.Features.Chats;

/// <summary>How a generation ended, as <see cref="ReplyGenerations"/> hands it over to be stored.</summary>
public sealed record ReplyEnding(
    Generation Generation, Guid UserId, long ChatId, MessageResponse Question, MessageResponse Created, string Text, MessageStatus Status,
    TokenCount Tokens, UsageEntry Entry, Continuation? Continuing)
{
    /// <summary>For the dashboard: the model that was asked, whether the user was on Premium, and the time to its first text.</summary>
    public ReplyFacts Facts { get; init; } = new("unknown", false, null);
}

public sealed record ReplyFacts(string Model, bool Premium, int? FirstTokenMs);

/// <summary>
/// The end of a reply, written once: the reply's text, status and tokens, the question's state when the model failed
/// before any text, and the refund and token entries of the ledger. One transaction, so the caller can try it again
/// whole while the database is away.
/// </summary>
internal static class ReplyOutcomeStore
{
    /// <summary>
    /// What was stored; <c>NotContinued</c>: a continuation that wrote nothing, so the reply is as it was.
    /// <c>TokensOnly</c>: the ledger only gained this many tokens (no refund), so the usage after is derived.
    /// </summary>
    public sealed record Stored(MessageResponse Question, MessageResponse? Reply, bool NotContinued, long? TokensOnly);

    /// <summary>Stores how a generation ended: the reply, the question's state, refunds and tokens, in one transaction.</summary>
    public static async Task<Stored> StoreAsync(IServiceProvider services, ReplyEnding ending, ILogger logger, CancellationToken ct)
    {
        var (generation, userId, chatId, asked, created, text, status, tokens, entry, continuing) = ending;
        var questionId = asked.Id;
        var db = services.GetRequiredService<AppDbContext>();
        var quota = services.GetRequiredService<QuotaService>();
        var time = services.GetRequiredService<TimeProvider>();
        // The user's row first, as every transaction that writes usage locks it (ADR 0003's lock order: user, then
        // chat and messages), so this one and a send of the same user's next message cannot deadlock.
        await using var tx = await quota.BeginAsync(userId, ct);
        if (continuing is null && text.Length > 0)
        {
            // The usual end, a new reply with text: written as it is known, on the condition that it still streams
            // (no other instance closed it), without reading anything first.
            var (input, output) = Metered(tokens, text);
            var written = await db.Messages.Where(m => m.Id == generation.ReplyId && m.Status == MessageStatus.Streaming)
                .ExecuteUpdateAsync(s => s
                    .SetProperty(m => m.Content, text)
                    .SetProperty(m => m.Status, status)
                    .SetProperty(m => m.LeaseOwner, (string?)null)
                    .SetProperty(m => m.LeaseExpiresAt, (DateTime?)null)
                    .SetProperty(m => m.InputTokens, (int?)input)
                    .SetProperty(m => m.OutputTokens, (int?)output), ct);
            if (written == 1)
            {
                var now = time.GetUtcNow().UtcDateTime;
                await db.Chats.Where(c => c.Id == chatId).ExecuteUpdateAsync(s => s.SetProperty(c => c.UpdatedAt, now), ct);
                var spent = input + output;
                await quota.RecordTokensAsync(userId, generation.ReplyId, spent, ct);
                await RecordAsync(db, ending, status, input, output, ct);
                await tx.CommitAsync(ct);
                var reply = created with { Content = text, Status = status, InputTokens = input, OutputTokens = output };
                return new Stored(asked, reply, false, Math.Max(0, spent));
            }
        }

        return await StoreReadingAsync(db, quota, time, services, ending, logger, tx, ct);
    }

    /// <summary>Every other end (a failure, a continuation, a reply another instance closed): read, then written.</summary>
    private static async Task<Stored> StoreReadingAsync(
        AppDbContext db, QuotaService quota, TimeProvider time, IServiceProvider services, ReplyEnding ending, ILogger logger,
        Microsoft.EntityFrameworkCore.Storage.IDbContextTransaction tx, CancellationToken ct)
    {
        var (generation, userId, chatId, asked, _, text, status, tokens, entry, continuing) = ending;
        var questionId = asked.Id;
        var both = await db.Messages.Where(m => m.Id == questionId || m.Id == generation.ReplyId).ToListAsync(ct);
        if (both.Count < 2)
        {
            // The chat was deleted while the reply was written (or the whole account): nothing is left to store, but
            // the model's work is still metered while the user exists.
            logger.LogInformation("Reply {ReplyId}'s chat was deleted while it was written; nothing to store", generation.ReplyId);
            var spent = 0;
            if (await db.Users.AnyAsync(u => u.Id == userId, ct))
            {
                var (input, output) = Metered(tokens, text);
                spent = input + output;
                await quota.RecordTokensAsync(userId, generation.ReplyId, spent, ct);
                await RecordAsync(db, ending, status, input, output, ct);
            }

            await tx.CommitAsync(ct);
            return new Stored(asked, null, false, Math.Max(0, spent));
        }

        var question = both.Single(m => m.Id == questionId);
        var stored = both.Single(m => m.Id == generation.ReplyId);
        var chat = await db.Chats.SingleAsync(c => c.Id == chatId, ct);
        Message? reply = null;
        long? tokensOnly = null;
        if (stored.Status != MessageStatus.Streaming)
        {
            // Another instance closed it as interrupted: this one could not renew the lease (database away, a long
            // pause). What was stored and told to followers stands; the model's work is still metered.
            logger.LogWarning("Reply {ReplyId} was closed by another instance while this one generated it", generation.ReplyId);
            reply = stored;
            await quota.RecordTokensAsync(userId, reply.Id, (tokens.Input ?? tokens.SentEstimate) + ChatBot.EstimateTokens(text), ct);
            // The instance that closed it recorded it as interrupted, without a model: this one knows the tokens.
        }
        else if (continuing is not null && text.Length == continuing.Kept.Length && status == MessageStatus.Failed)
        {
            // Continuing failed before any new text: the reply is as it was, and the message is given back.
            (stored.Status, stored.Content, stored.LeaseOwner, stored.LeaseExpiresAt) = (continuing.Was, continuing.Kept, null, null);
            reply = stored;
            await db.SaveChangesAsync(ct);
            await quota.RefundAsync(entry, ct);
            await quota.RecordTokensAsync(userId, questionId, tokens.Input ?? tokens.SentEstimate, ct);
            await RecordAsync(db, ending, status, tokens.Input ?? tokens.SentEstimate, 0, ct);
        }
        else if (text.Length == 0 && status == MessageStatus.Failed)
        {
            // The model failed before any text: no reply, the question is marked for a retry, and the message is
            // given back. A user's Stop is not that: the model was called, so a stopped reply counts even when empty.
            await db.Messages.Where(m => m.Id == generation.ReplyId).ExecuteDeleteAsync(ct);
            var answered = await db.Messages.AnyAsync(m => m.ParentId == questionId, ct);
            if (!answered)
            {
                question.Status = MessageStatus.ReplyFailed;
            }

            if (chat.ActiveLeafId == generation.ReplyId)
            {
                // A failed regeneration falls back to the earlier reply; a failed first reply leaves the question.
                chat.ActiveLeafId = answered
                    ? await services.GetRequiredService<Branches>().NewestLeafAsync(questionId, ct)
                    : questionId;
            }

            await db.SaveChangesAsync(ct);
            await quota.RefundAsync(entry, ct);
            // The model still read the conversation: its input is metered against a token limit.
            await quota.RecordTokensAsync(userId, questionId, tokens.Input ?? tokens.SentEstimate, ct);
            await RecordAsync(db, ending, status, tokens.Input ?? tokens.SentEstimate, 0, ct);
        }
        else
        {
            reply = stored;
            reply.Content = text;
            reply.Status = status;
            reply.LeaseOwner = null;
            reply.LeaseExpiresAt = null;
            // A stopped or cut-off stream carries no usage report, nor do some servers' whole replies: meter what was
            // sent and what came back.
            var written = text[(continuing?.Kept.Length ?? 0)..];
            var (input, output) = Metered(tokens, written);
            // A continued reply's tokens are those of both calls.
            reply.InputTokens = continuing is null ? input : Sum(continuing.InputTokens, input);
            reply.OutputTokens = continuing is null ? output : Sum(continuing.OutputTokens, output);
            chat.UpdatedAt = time.GetUtcNow().UtcDateTime;
            await db.SaveChangesAsync(ct);
            await quota.RecordTokensAsync(userId, reply.Id, input + output, ct);
            await RecordAsync(db, ending, status, input, output, ct);
            if (status == MessageStatus.Interrupted && written.Length == 0)
            {
                await quota.RefundAsync(entry, ct); // shut down before a word: not counted
            }
            else
            {
                tokensOnly = Math.Max(0, input + output);
            }
        }

        await tx.CommitAsync(ct);
        return new Stored(question.ToResponse(), reply?.ToResponse(),
            continuing is not null && reply?.Status == continuing.Was && reply.Content == continuing.Kept, tokensOnly);
    }

    /// <summary>The reply for the dashboard, in the transaction that stores it: counted once, with its outcome.</summary>
    private static async Task RecordAsync(AppDbContext db, ReplyEnding ending, MessageStatus status, int input, int output, CancellationToken ct)
    {
        db.AnalyticsEvents.Add(new Analytics.AnalyticsEvent
        {
            Kind = Analytics.AnalyticsKind.Reply, UserId = ending.UserId, OccurredAt = ending.Created.CreatedAt.UtcDateTime, Premium = ending.Facts.Premium,
            Model = ending.Facts.Model, Outcome = Analytics.ReplyOutcomes.Of(status), FirstTokenMs = ending.Facts.FirstTokenMs,
            InputTokens = Math.Max(0, input), OutputTokens = Math.Max(0, output), MessageId = ending.Generation.ReplyId,
        });
        await db.SaveChangesAsync(ct);
    }

    /// <summary>
    /// The reply's tokens as the provider reported them, else estimated from what was sent (images by their tiles) and
    /// what came back: a stopped or cut-off stream carries no report, and some self-hosted servers never send one.
    /// Without the estimate a token limit would never bind on those servers.
    /// </summary>
    private static (int Input, int Output) Metered(TokenCount tokens, string written) =>
        (tokens.Input ?? tokens.SentEstimate, tokens.Output ?? (written.Length == 0 ? 0 : ChatBot.EstimateTokens(written)));

    private static int? Sum(int? a, int? b) => a is null && b is null ? null : (a ?? 0) + (b ?? 0);
}
