using System.Collections.Concurrent;
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
    private readonly TimeSpan deltaInterval;
    private readonly UsageHints hints;
    private Task _drained = Task.CompletedTask;

    private readonly Hosting.ParleyMetrics metrics;

    public ReplyGenerations(
        IServiceScopeFactory scopes, ILogger<ReplyGenerations> logger, IHostApplicationLifetime lifetime, IOptions<BotOptions> bot,
        IOptions<ChatOptions> chats, Hosting.ParleyMetrics metrics, UsageHints hints)
    {
        (this.scopes, this.logger, this.lifetime, drainTimeout, this.metrics, this.hints) =
            (scopes, logger, lifetime, bot.Value.DrainTimeout, metrics, hints);
        (flushInterval, leaseLength, deltaInterval) = (chats.Value.ReplyFlushInterval, chats.Value.ReplyLease, chats.Value.DeltaInterval);
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

    /// <summary>
    /// Starts generating reply <paramref name="reply"/> with the model of the plan the quota was
    /// <paramref name="taken"/> from; it adopts <paramref name="headStart"/>'s call when that asked the same.
    /// </summary>
    public Generation Start(
        Guid userId, UsageResponse taken, long chatId, MessageResponse question, MessageResponse reply, UsageEntry entry,
        Continuation? continuing = null, HeadStart? headStart = null)
    {
        var replyId = reply.Id;
        var generation = new Generation(replyId, deltaInterval);
        _running[replyId] = generation;
        generation.Completion = Task.Run(async () =>
        {
            try
            {
                await RunAsync(generation, userId, taken, chatId, question, reply, entry, continuing, headStart);
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
        Generation generation, Guid userId, UsageResponse taken, long chatId, MessageResponse asked, MessageResponse created, UsageEntry entry,
        Continuation? continuing, HeadStart? headStart)
    {
        await using var head = headStart;
        using var stopHead = head is null ? default : generation.StopToken.Register(head.Cancel);
        var questionId = asked.Id;
        var plan = taken.Plan;
        await using var scope = scopes.CreateAsyncScope();
        var services = scope.ServiceProvider;
        var db = services.GetRequiredService<AppDbContext>();
        var bot = services.GetRequiredService<ChatBot>();
        var quota = services.GetRequiredService<QuotaService>();
        var time = services.GetRequiredService<TimeProvider>();

        // The model sees only the active branch: the path from the question up to the chat's first message, read
        // after the send committed (a head start's call is kept only when it asked exactly this).
        var history = await services.GetRequiredService<Attachments.AttachmentMessages>().WithFilesAsync(
            await services.GetRequiredService<Branches>().TurnsAsync(questionId, Branches.ModelDepth, questionId, CancellationToken.None),
            CancellationToken.None);
        var text = new StringBuilder();
        if (continuing is not null)
        {
            // The model reads its kept text and writes on; followers get the whole reply, kept text first.
            history.AddRange([new Turn(false, continuing.Kept), new Turn(true, ChatBot.ContinueInstruction)]);
            text.Append(continuing.Kept);
            generation.Append(continuing.Kept);
            generation.Flushed = continuing.Kept;
        }

        var (personal, model) = await services.GetRequiredService<Account.PersonalInstructions>().ForReplyAsync(userId, chatId, plan, CancellationToken.None);
        var modelName = services.GetRequiredService<Microsoft.Extensions.Options.IOptions<BotOptions>>().Value.OpenAI.NameFor(plan, model);
        var adopted = head is null || continuing is not null ? null : await head.TakeAsync(history, plan, personal, model);
        var tokens = adopted?.Tokens ?? new TokenCount();
        var status = MessageStatus.Complete;
        int? firstTokenMs = null;
        var lastFlush = time.GetUtcNow();
        await using var flusher = new ReplyFlusher(scopes, generation, logger);
        try
        {
            var called = adopted?.CalledAt ?? System.Diagnostics.Stopwatch.GetTimestamp();
            var deltas = adopted?.Deltas ?? bot.StreamAsync(history, plan, tokens, generation.StopToken, personal, model).GetAsyncEnumerator(generation.StopToken);
            try
            {
                for (var more = await (adopted?.First ?? deltas.MoveNextAsync().AsTask()); more; more = await deltas.MoveNextAsync())
                {
                    var delta = deltas.Current;
                    if (firstTokenMs is null)
                    {
                        var elapsed = System.Diagnostics.Stopwatch.GetElapsedTime(called);
                        firstTokenMs = (int)Math.Min(int.MaxValue, elapsed.TotalMilliseconds);
                        if (text.Length == 0)
                        {
                            metrics.FirstToken(plan.ToString(), elapsed);
                        }
                    }

                    text.Append(delta);
                    generation.Append(delta);
                    // The text so far is written now and then: it survives this instance, and a follower elsewhere
                    // that missed a notice catches up from it.
                    if (flusher.Idle && time.GetUtcNow() - lastFlush > flushInterval)
                    {
                        lastFlush = time.GetUtcNow();
                        flusher.Start(text.ToString());
                    }
                }
            }
            finally
            {
                await deltas.DisposeAsync();
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
        ReplyOutcomeStore.Stored? stored = null;
        UsageResponse usage;
        var trying = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            try
            {
                var content = text.ToString();
                var ending = new ReplyEnding(generation, userId, chatId, asked, created, content, status, tokens, entry, continuing)
                {
                    Facts = new ReplyFacts(modelName, plan == Auth.Plan.Premium, firstTokenMs),
                };
                stored ??= await db.RetryingAsync(ct => ReplyOutcomeStore.StoreAsync(services, ending, logger, ct), CancellationToken.None);
                // Derived from the usage the send took when only tokens were added; otherwise read after the write
                // transaction (on SQLite, outside the one-writer turn); a failure reads again only.
                if (stored.TokensOnly is { } added)
                {
                    usage = QuotaService.AfterTokens(taken, added);
                    hints.Remember(userId, usage);
                }
                else
                {
                    usage = await quota.GetAsync(userId, CancellationToken.None);
                }

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

        var (question, reply) = (stored.Question, stored.Reply);
        generation.Finish(new ReplyOutcome(question, reply, usage) { NotContinued = stored.NotContinued });

        try
        {
            if (reply is { Status: MessageStatus.Complete } && question.ParentId is null &&
                !await db.Messages.AnyAsync(m => m.ChatId == chatId && m.Id < questionId))
            {
                await RetitleAsync(db, bot, chatId, question.Content, reply.Content);
            }
        }
        catch (Exception ex) when (Data.DatabaseOutage.Is(ex))
        {
            logger.LogWarning(ex, "Titling chat {ChatId} failed; it keeps the title from its first message", chatId);
        }
    }

    /// <summary>
    /// After a chat's first exchange the model names it, unless the user renamed it in the meantime (the title still
    /// is the first words of the question). Titling is not a reply: no quota is taken.
    /// </summary>
    private static async Task RetitleAsync(AppDbContext db, ChatBot bot, long chatId, string question, string reply)
    {
        var automatic = ChatTitles.FromFirstMessage(question);
        if (!await db.Chats.AnyAsync(c => c.Id == chatId && c.Title == automatic) ||
            await bot.TitleAsync(question, reply, CancellationToken.None) is not { } title)
        {
            return;
        }

        await db.Chats.Where(c => c.Id == chatId && c.Title == automatic)
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.Title, title));
    }
}
