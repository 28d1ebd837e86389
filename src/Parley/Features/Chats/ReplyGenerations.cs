using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Parley.Data;
using Parley.Features.Bot;
using Parley.Features.Usage;

namespace Parley.Features.Chats;

/// <summary>How a generation ended, with the stored messages.</summary>
public sealed record ReplyOutcome(MessageResponse Question, MessageResponse? Reply, UsageResponse Usage)
{
    public bool Failed => Reply is null;

    /// <summary>A continuation the model failed before any new text: <see cref="Reply"/> is as it was.</summary>
    public bool NotContinued { get; init; }
}

/// <summary>A reply written on from its kept text ("Continue"): what it was before, to go back to if nothing comes.</summary>
public sealed record Continuation(string Kept, MessageStatus Was, int? InputTokens, int? OutputTokens);

/// <summary>An event a follower of a generation sees: text, then the end.</summary>
public abstract record GenerationEvent
{
    public sealed record Delta(string Text) : GenerationEvent;
    public sealed record Done(ReplyOutcome Outcome) : GenerationEvent;
}

/// <summary>
/// Replies being generated on this instance. A generation runs on its own, not on the request that started it, so a
/// closed tab or a reload loses nothing; any number of followers (the sender, a reloaded page, a second tab) attach
/// and get the text so far, then the rest. See docs/decisions/0007-durable-generation.md for several instances.
/// </summary>
public sealed class ReplyGenerations
{
    private readonly ConcurrentDictionary<long, Generation> _running = new();
    private readonly IServiceScopeFactory scopes;
    private readonly ILogger<ReplyGenerations> logger;
    private readonly IHostApplicationLifetime lifetime;
    private readonly TimeSpan drainTimeout;
    private readonly TimeSpan flushInterval;
    private readonly TimeSpan leaseLength;
    private Task _drained = Task.CompletedTask;

    private readonly Hosting.ParleyMetrics metrics;

    public ReplyGenerations(
        IServiceScopeFactory scopes, ILogger<ReplyGenerations> logger, IHostApplicationLifetime lifetime, IOptions<BotOptions> bot,
        IOptions<ChatOptions> chats, Hosting.ParleyMetrics metrics)
    {
        (this.scopes, this.logger, this.lifetime, drainTimeout, this.metrics) = (scopes, logger, lifetime, bot.Value.DrainTimeout, metrics);
        (flushInterval, leaseLength) = (chats.Value.ReplyFlushInterval, chats.Value.ReplyLease);
        metrics.ObserveActiveReplies(() => _running.Count);
        lifetime.ApplicationStopping.Register(() => _drained = DrainAsync());
    }

    /// <summary>Shutdown has begun: no reply starts here any more.</summary>
    public bool Draining => lifetime.ApplicationStopping.IsCancellationRequested;

    /// <summary>Completes when, after shutdown began, every reply here has finished or been closed as interrupted.</summary>
    public Task Drained => _drained;

    /// <summary>
    /// Lets running replies finish within the drain window, then interrupts the rest: each is stored as
    /// <see cref="MessageStatus.Interrupted"/> with its text, and its followers get an error event saying so.
    /// </summary>
    private async Task DrainAsync()
    {
        var running = _running.Values.ToList();
        if (running.Count == 0)
        {
            return;
        }

        logger.LogInformation("Shutting down: {Count} replies get up to {Drain} to finish", running.Count, drainTimeout);
        var all = Task.WhenAll(running.Select(g => g.Completion));
        if (await Task.WhenAny(all, Task.Delay(drainTimeout)) != all)
        {
            foreach (var generation in running)
            {
                generation.Interrupt();
            }

            await Task.WhenAny(all, Task.Delay(TimeSpan.FromSeconds(4)));
        }
    }

    /// <summary>Starts generating reply <paramref name="replyId"/> with the model of <paramref name="plan"/>.</summary>
    public Generation Start(
        Guid userId, Auth.Plan plan, long chatId, long questionId, MessageResponse reply, UsageEntry entry, Continuation? continuing = null)
    {
        var replyId = reply.Id;
        var generation = new Generation(replyId);
        _running[replyId] = generation;
        generation.Completion = Task.Run(async () =>
        {
            try
            {
                await RunAsync(generation, userId, plan, chatId, questionId, reply, entry, continuing);
            }
            catch (Exception ex)
            {
                // Its lease is no longer renewed, so it will be closed as interrupted with the text flushed so far:
                // that is what its followers are told.
                logger.LogError(ex, "Generating reply {ReplyId} failed unexpectedly", replyId);
                generation.FinishLost(reply with { Content = generation.Flushed, Status = MessageStatus.Interrupted });
            }
            finally
            {
                _running.TryRemove(replyId, out _);
            }

            generation.Dispose();
        });
        return generation;
    }

    public Generation? Find(long replyId) => _running.GetValueOrDefault(replyId);

    /// <summary>The replies generating here, whose leases this instance renews.</summary>
    public IReadOnlyCollection<long> RunningIds => [.. _running.Keys];

    /// <summary>Stops a reply in progress; false when it is not generating here (finished, or on another instance).</summary>
    public bool Stop(long replyId)
    {
        if (!_running.TryGetValue(replyId, out var generation))
        {
            return false;
        }

        generation.RequestStop();
        return true;
    }

    private async Task RunAsync(
        Generation generation, Guid userId, Auth.Plan plan, long chatId, long questionId, MessageResponse created, UsageEntry entry,
        Continuation? continuing)
    {
        await using var scope = scopes.CreateAsyncScope();
        var services = scope.ServiceProvider;
        var db = services.GetRequiredService<AppDbContext>();
        var bot = services.GetRequiredService<ChatBot>();
        var quota = services.GetRequiredService<QuotaService>();
        var time = services.GetRequiredService<TimeProvider>();

        // The model sees only the active branch: the path from the question up to the chat's first message.
        var history = (await services.GetRequiredService<Branches>().PathAsync(questionId, 200, CancellationToken.None))
            .Where(m => (m.Status is MessageStatus.Complete or MessageStatus.Stopped or MessageStatus.Interrupted && m.Content.Length > 0) || m.Id == questionId)
            .Select(m => new Turn(m.Role == MessageRole.User, m.Content))
            .ToList();
        var text = new StringBuilder();
        if (continuing is not null)
        {
            // The model reads its kept text and writes on; followers get the whole reply, kept text first.
            history.AddRange([new Turn(false, continuing.Kept), new Turn(true, ChatBot.ContinueInstruction)]);
            text.Append(continuing.Kept);
            generation.Append(continuing.Kept);
            generation.Flushed = continuing.Kept;
        }

        var tokens = new TokenCount();
        var status = MessageStatus.Complete;
        var lastFlush = time.GetUtcNow();
        // Flushes run beside the model's stream, one at a time, on a context of their own: a slow or absent
        // database holds up neither this reply nor its followers here.
        await using var flushScope = scopes.CreateAsyncScope();
        var flusher = new ReplyFlusher(flushScope.ServiceProvider.GetRequiredService<AppDbContext>(), generation, logger);
        try
        {
            var called = System.Diagnostics.Stopwatch.GetTimestamp();
            await foreach (var delta in bot.StreamAsync(history, plan, tokens, generation.StopToken))
            {
                if (text.Length == 0)
                {
                    metrics.FirstToken(plan.ToString(), System.Diagnostics.Stopwatch.GetElapsedTime(called));
                }

                text.Append(delta);
                generation.Append(delta);
                // The text so far is written now and then: it survives this instance, and a follower elsewhere that
                // missed a notice catches up from it.
                if (flusher.Idle && time.GetUtcNow() - lastFlush > flushInterval)
                {
                    lastFlush = time.GetUtcNow();
                    flusher.Start(text.ToString());
                }
            }
        }
        catch (OperationCanceledException) when (generation.StopToken.IsCancellationRequested)
        {
            status = generation.Interrupted ? MessageStatus.Interrupted : MessageStatus.Stopped;
            if (generation.Interrupted)
            {
                metrics.Interrupted("shutdown");
            }
        }
        catch (BotFailedException)
        {
            status = MessageStatus.Failed;
            metrics.ModelError(plan.ToString());
        }

        await flusher.Running;

        // The outcome is stored in one transaction, tried again while the database is away until the reply's lease
        // would have run out; after that, any instance closes it as interrupted with the text flushed so far, which
        // is what its followers are told here.
        Stored? stored = null;
        UsageResponse usage;
        var trying = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            try
            {
                var content = text.ToString();
                stored ??= await db.RetryingAsync(ct => StoreAsync(services, generation, userId, chatId, questionId, content, status, tokens, entry, continuing, ct), CancellationToken.None);
                // Read after the write transaction (on SQLite, outside the one-writer turn); a failure reads again only.
                usage = await quota.GetAsync(userId, CancellationToken.None);
                break;
            }
            catch (Exception ex) when (Data.DatabaseOutage.Is(ex) && (trying.Elapsed < leaseLength || stored is not null))
            {
                // Once stored, only the usage is left to read: that is tried until the database answers.
                logger.LogWarning(ex, "Storing reply {ReplyId} failed; trying again", generation.ReplyId);
                await Task.Delay(TimeSpan.FromSeconds(1));
            }
            catch (Exception ex) when (Data.DatabaseOutage.Is(ex))
            {
                logger.LogError(ex, "Reply {ReplyId} could not be stored: it is left to be closed as interrupted", generation.ReplyId);
                generation.FinishLost(created with { Content = generation.Flushed, Status = MessageStatus.Interrupted });
                return;
            }
        }

        var (question, chat, reply) = (stored.Question, stored.Chat, stored.Reply);
        generation.Finish(new ReplyOutcome(question.ToResponse(), reply?.ToResponse(), usage) { NotContinued = stored.NotContinued });

        try
        {
            if (reply is { Status: MessageStatus.Complete } && question.ParentId is null &&
                !await db.Messages.AnyAsync(m => m.ChatId == chatId && m.Id < questionId))
            {
                await RetitleAsync(db, bot, chat, question, reply);
            }
        }
        catch (Exception ex) when (Data.DatabaseOutage.Is(ex))
        {
            logger.LogWarning(ex, "Titling chat {ChatId} failed; it keeps the title from its first message", chatId);
        }
    }

    private static int? Sum(int? a, int? b) => a is null && b is null ? null : (a ?? 0) + (b ?? 0);

    private sealed record Stored(Message Question, Chat Chat, Message? Reply, bool NotContinued);

    /// <summary>Stores how a generation ended: the reply, the question's state, refunds and tokens, in one transaction.</summary>
    private async Task<Stored> StoreAsync(
        IServiceProvider services, Generation generation, Guid userId, long chatId, long questionId,
        string text, MessageStatus status, TokenCount tokens, UsageEntry entry, Continuation? continuing, CancellationToken ct)
    {
        var db = services.GetRequiredService<AppDbContext>();
        var quota = services.GetRequiredService<QuotaService>();
        var time = services.GetRequiredService<TimeProvider>();
        await using var tx = await db.BeginWriteAsync(ct);
        var question = await db.Messages.SingleAsync(m => m.Id == questionId, ct);
        var chat = await db.Chats.SingleAsync(c => c.Id == chatId, ct);
        Message? reply = null;
        var stored = await db.Messages.SingleAsync(m => m.Id == generation.ReplyId, ct);
        if (stored.Status != MessageStatus.Streaming)
        {
            // Another instance closed it as interrupted: this one could not renew the lease (database away, a long
            // pause). What was stored and told to followers stands; the model's work is still metered.
            logger.LogWarning("Reply {ReplyId} was closed by another instance while this one generated it", generation.ReplyId);
            reply = stored;
            await quota.RecordTokensAsync(userId, reply.Id, (tokens.Input ?? tokens.SentEstimate) + ChatBot.EstimateTokens(text), ct);
        }
        else if (continuing is not null && text.Length == continuing.Kept.Length && status == MessageStatus.Failed)
        {
            // Continuing failed before any new text: the reply is as it was, and the message is given back.
            (stored.Status, stored.Content, stored.LeaseOwner, stored.LeaseExpiresAt) = (continuing.Was, continuing.Kept, null, null);
            reply = stored;
            await db.SaveChangesAsync(ct);
            await quota.RefundAsync(entry, ct);
            await quota.RecordTokensAsync(userId, questionId, tokens.Input ?? tokens.SentEstimate, ct);
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
        }
        else
        {
            reply = stored;
            reply.Content = text;
            reply.Status = status;
            reply.LeaseOwner = null;
            reply.LeaseExpiresAt = null;
            // A stopped or cut-off stream carries no usage report: meter what was sent and what came back.
            var written = text[(continuing?.Kept.Length ?? 0)..];
            var input = tokens.Input ?? (status == MessageStatus.Complete ? null : tokens.SentEstimate);
            var output = tokens.Output ?? (status == MessageStatus.Complete ? null : (written.Length == 0 ? 0 : ChatBot.EstimateTokens(written)));
            // A continued reply's tokens are those of both calls.
            reply.InputTokens = continuing is null ? input : Sum(continuing.InputTokens, input);
            reply.OutputTokens = continuing is null ? output : Sum(continuing.OutputTokens, output);
            chat.UpdatedAt = time.GetUtcNow().UtcDateTime;
            await db.SaveChangesAsync(ct);
            await quota.RecordTokensAsync(userId, reply.Id, (input ?? 0) + (output ?? 0), ct);
            if (status == MessageStatus.Interrupted && written.Length == 0)
            {
                await quota.RefundAsync(entry, ct); // shut down before a word: not counted
            }
        }

        await tx.CommitAsync(ct);
        return new Stored(question, chat, reply, continuing is not null && reply?.Status == continuing.Was && reply.Content == continuing.Kept);
    }

    /// <summary>
    /// After a chat's first exchange the model names it, unless the user renamed it in the meantime (the title still
    /// is the first words of the question). Titling is not a reply: no quota is taken.
    /// </summary>
    private static async Task RetitleAsync(AppDbContext db, ChatBot bot, Chat chat, Message question, Message reply)
    {
        var automatic = ChatTitles.FromFirstMessage(question.Content);
        if (chat.Title != automatic || await bot.TitleAsync(question.Content, reply.Content, CancellationToken.None) is not { } title)
        {
            return;
        }

        await db.Chats.Where(c => c.Id == chat.Id && c.Title == automatic)
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.Title, title));
    }
}
