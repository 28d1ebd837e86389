using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Parley.Data;

namespace Parley.Features.Attachments;

/// <summary>
/// Every minute, on every instance: drafts older than <see cref="AttachmentOptions.DraftLifetime"/> are deleted,
/// uploads whose files were never all written (the process died) are given up, and the files of deleted attachments
/// are removed, then their rows. Every step can run twice or on two instances at once without harm.
/// </summary>
public sealed class AttachmentSweeper(
    IServiceScopeFactory scopes, IOptions<AttachmentOptions> options, TimeProvider time, ILogger<AttachmentSweeper> logger) : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromMinutes(1);

    /// <summary>An upload still not stored after this was abandoned by its process.</summary>
    public static readonly TimeSpan StoringTimeout = TimeSpan.FromMinutes(10);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, TimeProvider.System);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    await SweepAsync(stoppingToken);
                }
                catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
                {
                    logger.LogWarning(ex, "Sweeping attachments failed; the next sweep tries again");
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>One sweep; returns how many attachments' files it removed.</summary>
    public async Task<int> SweepAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var attachments = scope.ServiceProvider.GetRequiredService<AttachmentService>();
        var store = scope.ServiceProvider.GetRequiredService<IFileStore>();
        var now = time.GetUtcNow().UtcDateTime;
        var draftsBefore = now - options.Value.DraftLifetime;
        var storingBefore = now - StoringTimeout;
        await attachments.ReleaseAsync(db.Attachments.Where(a => a.MessageId == null && a.CreatedAt < draftsBefore), ct);
        await attachments.ReleaseAsync(db.Attachments.Where(a => a.StoredAt == null && a.CreatedAt < storingBefore), ct);

        var purged = 0;
        while (true)
        {
            // An original whose files a live copy still shows waits (copies and sources go with their chat, together).
            var gone = await db.Attachments.AsNoTracking()
                .Where(a => a.DeletedAt != null && !db.Attachments.Any(c => c.SourceId == a.Id && c.DeletedAt == null))
                .OrderBy(a => a.DeletedAt).Take(100).ToListAsync(ct);
            foreach (var attachment in gone)
            {
                if (attachment.SourceId is null)
                {
                    await store.DeleteAsync(AttachmentService.Key(attachment), ct);
                    await store.DeleteAsync(AttachmentService.ThumbnailKey(attachment), ct);
                    await store.DeleteAsync(AttachmentService.TextKey(attachment), ct);
                }

                await db.Attachments.Where(a => a.Id == attachment.Id).ExecuteDeleteAsync(ct);
            }

            purged += gone.Count;
            if (gone.Count < 100)
            {
                return purged;
            }
        }
    }
}
