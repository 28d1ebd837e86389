using Microsoft.EntityFrameworkCore;
using Parley.Data;
using Parley.Features.Billing;
using Parley.Features.Usage;

namespace Parley.Features.Account;

/// <summary>
/// Deletes an account: what Stripe would still bill is ended first (the only step outside the database, idempotent,
/// so a failure there deletes nothing and a retry finishes it), then one transaction erases the person: chats and
/// messages, sessions and trusted devices, the failed-login record of the email, and the user. Their files are marked
/// in that transaction and deleted by <see cref="Attachments.AttachmentSweeper"/> within a minute, its exports' by
/// <see cref="DataExports"/> (no file outlives its row unnoticed). The usage ledger and subscriptions stay for accounting with their user set to null. The email can
/// register again; the account's access tokens answer 401 at once (the user no longer exists).
/// See docs/decisions/0017-account-deletion.md.
/// </summary>
public sealed class AccountDeletion(AppDbContext db, QuotaService quota, SubscriptionCancellation subscriptions, TimeProvider time,
    ILogger<AccountDeletion> logger)
{
    public async Task DeleteAsync(Guid userId, SubscriptionEnding ending, CancellationToken ct)
    {
        await subscriptions.EndAllAsync(userId, ending, ct);
        var erased = await db.RetryingAsync(async token =>
        {
            // The user's row first, as every transaction that writes usage locks it: a send racing this one either
            // finished before it or finds no user after it.
            await using var tx = await quota.BeginAsync(userId, token);
            var email = await db.Users.Where(u => u.Id == userId).Select(u => u.NormalizedEmail).SingleOrDefaultAsync(token);
            if (email is null)
            {
                return false; // deleted a moment ago (another tab, a retry whose first try did commit)
            }

            var now = time.GetUtcNow().UtcDateTime;
            await db.Attachments.Where(a => a.UserId == userId && a.DeletedAt == null)
                .ExecuteUpdateAsync(s => s.SetProperty(a => a.DeletedAt, now).SetProperty(a => a.MessageId, (long?)null), token);
            await db.DataExports.Where(e => e.UserId == userId && e.DeletedAt == null)
                .ExecuteUpdateAsync(s => s.SetProperty(e => e.DeletedAt, now), token);
            await db.Messages.Where(m => db.Chats.Any(c => c.Id == m.ChatId && c.UserId == userId)).ExecuteDeleteAsync(token);
            await db.Chats.Where(c => c.UserId == userId).ExecuteDeleteAsync(token);
            await db.LoginThrottles.Where(t => t.NormalizedEmail == email).ExecuteDeleteAsync(token);
            // Refresh tokens and trusted devices go with the user (cascade); usage and subscriptions lose their link.
            await db.Users.Where(u => u.Id == userId).ExecuteDeleteAsync(token);
            await tx.CommitAsync(token);
            return true;
        }, ct);
        if (erased)
        {
            logger.LogInformation("Account {User} deleted", userId);
        }
    }
}
