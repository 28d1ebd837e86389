using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Parley.Data;
using Parley.Features.Auth;
using Parley.Features.Bot;

namespace Parley.Features.Chats;

/// <summary>
/// A new message's reply asked of the model while the send's transaction takes the quota and stores the message, so
/// the first token does not wait on the database (docs/decisions/0013-head-start.md). It reads the chat's branch on
/// its own connection and calls the model. After the send commits, the generation reads the history as it always
/// did and adopts the call only when that is exactly the history asked with the same plan; otherwise, and whenever
/// the send is refused, fails or is not made, the call is cancelled and nothing of it is kept or shown. Started only
/// when <see cref="Usage.UsageHints"/> says the user has a message left, so a user at the limit never gets one.
/// </summary>
public sealed class HeadStart : IAsyncDisposable
{
    private readonly CancellationTokenSource _cancel = new();
    private readonly Task<Call?> _call;
    private bool _adopted;

    private HeadStart(IServiceScopeFactory scopes, ILogger logger, Guid userId, long chatId, string question, Plan plan) =>
        // Started here, not on another thread: on SQLite the reads run now (the write comes after them anyway), the
        // request to the model is on its way before the send's transaction begins, and no thread has to wake for it.
        _call = CallAsync(scopes, logger, userId, chatId, question, plan, _cancel.Token);

    /// <summary>The model's reply as the generation reads it: the first move is already under way.</summary>
    internal sealed record Adopted(IAsyncEnumerator<string> Deltas, Task<bool> First, TokenCount Tokens, long CalledAt);

    private sealed record Call(AsyncServiceScope Scope, IReadOnlyList<Turn> History, Plan Plan, string? Personal, string? Model, Adopted Reply);

    internal static HeadStart Begin(IServiceScopeFactory scopes, ILogger logger, Guid userId, long chatId, string question, Plan plan) =>
        new(scopes, logger, userId, chatId, question, plan);

    private static async Task<Call?> CallAsync(
        IServiceScopeFactory scopes, ILogger logger, Guid userId, long chatId, string question, Plan plan, CancellationToken ct)
    {
        List<Turn> history;
        string? personal, model;
        try
        {
            await using var read = scopes.CreateAsyncScope();
            var db = read.ServiceProvider.GetRequiredService<AppDbContext>();
            var chat = await db.Chats.AsNoTracking().Where(c => c.Id == chatId && c.UserId == userId)
                .Select(c => new { c.ActiveLeafId }).SingleOrDefaultAsync(ct);
            if (chat is null)
            {
                return null; // not the user's chat: the send answers 404, and nothing was asked
            }

            // What the generation will read from the stored question: the branch it continues, then the question.
            history = chat.ActiveLeafId is { } leaf
                ? await read.ServiceProvider.GetRequiredService<Branches>().TurnsAsync(leaf, Branches.ModelDepth - 1, null, ct)
                : [];
            history.Add(new Turn(true, question));
            (personal, model) = await read.ServiceProvider.GetRequiredService<Account.PersonalInstructions>().ForReplyAsync(userId, chatId, plan, ct);
        }
        catch (Exception ex)
        {
            // Cancelled, or the database is away: the send goes on without a head start, and says what happened.
            if (!ct.IsCancellationRequested)
            {
                logger.LogDebug(ex, "No head start for a send in chat {ChatId}", chatId);
            }

            return null;
        }

        var scope = scopes.CreateAsyncScope();
        var tokens = new TokenCount();
        var calledAt = Stopwatch.GetTimestamp();
        var deltas = scope.ServiceProvider.GetRequiredService<ChatBot>().StreamAsync(history, plan, tokens, ct, personal, model).GetAsyncEnumerator(ct);
        return new Call(scope, history, plan, personal, model, new Adopted(deltas, deltas.MoveNextAsync().AsTask(), tokens, calledAt));
    }

    /// <summary>
    /// The call, when it asked for <paramref name="history"/> with <paramref name="plan"/>'s model; otherwise null,
    /// and it is cancelled. The caller then reads the reply from it and disposes its enumerator.
    /// </summary>
    internal async Task<Adopted?> TakeAsync(IReadOnlyList<Turn> history, Plan plan, string? personal, string? model)
    {
        var call = await _call;
        // Compared as the model reads them; a conversation with files is never adopted (the head start asked without them).
        if (call is null || call.Plan != plan || call.Personal != personal || call.Model != model || history.Any(t => t.Files.Count > 0) ||
            !call.History.Select(t => (t.FromUser, t.Text)).SequenceEqual(history.Select(t => (t.FromUser, t.Text))))
        {
            Cancel();
            return null;
        }

        _adopted = true;
        return call.Reply;
    }

    /// <summary>Ends the model call: the send did not start a reply, or the reply that took it was stopped.</summary>
    public void Cancel()
    {
        try
        {
            _cancel.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // Already over.
        }
    }

    /// <summary>The send did not start a reply (refused, not found, failed): the call is cancelled in the background.</summary>
    public void Abandon() => _ = DisposeAsync().AsTask();

    public async ValueTask DisposeAsync()
    {
        Cancel();
        if (await _call is { } call)
        {
            if (!_adopted)
            {
                try
                {
                    await call.Reply.First;
                }
                catch (Exception)
                {
                    // Cancelled (or failed): nothing of it is used.
                }

                try
                {
                    await call.Reply.Deltas.DisposeAsync();
                }
                catch (Exception)
                {
                    // Ending a cancelled call: nothing to keep.
                }
            }

            await call.Scope.DisposeAsync();
        }

        _cancel.Dispose();
    }
}
