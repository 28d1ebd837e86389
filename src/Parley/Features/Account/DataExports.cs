using System.Threading.Channels;
using Microsoft.EntityFrameworkCore;
using Parley.Data;
using Parley.Features.Attachments;
using Parley.Features.Chats;

namespace Parley.Features.Account;

/// <summary>
/// Prepares exports in the background, on every instance: an export asked for here starts at once, and every
/// <see cref="Interval"/> each instance looks for exports nobody is writing (asked for on an instance that stopped, or
/// whose writer was killed: its lease ran out). An export is taken with a conditional update, so one instance writes
/// it; it is written to a temporary file, put in the file store, and only then marked ready. Ready exports are kept
/// for <see cref="Lifetime"/>; then, or when their account is deleted, their files are deleted, then their rows.
/// </summary>
public sealed class DataExports(IServiceScopeFactory scopes, TimeProvider time, ILogger<DataExports> logger) : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(30);
    public static readonly TimeSpan Lease = TimeSpan.FromMinutes(2);
    public static readonly TimeSpan Lifetime = TimeSpan.FromDays(7);
    public const int MaxAttempts = 3;

    private readonly Channel<bool> _wake = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });

    public static string Key(DataExport export) => $"exports/{export.UserId:N}/{export.Id:N}.zip";

    /// <summary>Asks this instance to look for work now (an export was just asked for).</summary>
    public void Wake() => _wake.Writer.TryWrite(true);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                while (await RunOnceAsync(stoppingToken))
                {
                }

                await SweepAsync(stoppingToken);
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                logger.LogWarning(ex, "Preparing exports failed; trying again shortly");
            }

            using var tick = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
            tick.CancelAfter(Interval);
            try
            {
                await _wake.Reader.ReadAsync(tick.Token);
            }
            catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
            {
            }
        }
    }

    /// <summary>Takes one export nobody is writing and writes it; false when there was none.</summary>
    public async Task<bool> RunOnceAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var now = time.GetUtcNow().UtcDateTime;
        var candidate = await db.DataExports.AsNoTracking()
            .Where(e => e.DeletedAt == null && (e.Status == ExportStatus.Pending || (e.Status == ExportStatus.Building && e.LeaseExpiresAt < now)))
            .OrderBy(e => e.CreatedAt).FirstOrDefaultAsync(ct);
        if (candidate is null)
        {
            return false;
        }

        var until = now + Lease;
        var taken = await db.DataExports
            .Where(e => e.Id == candidate.Id && e.DeletedAt == null &&
                        (e.Status == ExportStatus.Pending || (e.Status == ExportStatus.Building && e.LeaseExpiresAt < now)))
            .ExecuteUpdateAsync(s => s
                .SetProperty(e => e.Status, ExportStatus.Building)
                .SetProperty(e => e.LeaseOwner, ReplyLeases.Instance)
                .SetProperty(e => e.LeaseExpiresAt, until)
                .SetProperty(e => e.Attempts, e => e.Attempts + 1), ct);
        if (taken == 1)
        {
            await BuildAsync(scope.ServiceProvider, candidate, ct);
        }

        return true;
    }

    private async Task BuildAsync(IServiceProvider services, DataExport export, CancellationToken ct)
    {
        var db = services.GetRequiredService<AppDbContext>();
        var temp = Path.Combine(Path.GetTempPath(), $"parley-export-{export.Id:N}.zip");
        using var renewing = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var renewal = RenewAsync(export.Id, renewing.Token);
        try
        {
            await using (var file = new FileStream(temp, FileMode.Create, FileAccess.ReadWrite, FileShare.None, 81920, useAsync: true))
            {
                await services.GetRequiredService<ExportWriter>().WriteAsync(export.UserId, file, ct);
                file.Position = 0;
                await services.GetRequiredService<IFileStore>().PutAsync(Key(export), file, "application/zip", ct);
            }

            var now = time.GetUtcNow().UtcDateTime;
            var size = new FileInfo(temp).Length;
            await db.DataExports.Where(e => e.Id == export.Id && e.LeaseOwner == ReplyLeases.Instance)
                .ExecuteUpdateAsync(s => s
                    .SetProperty(e => e.Status, ExportStatus.Ready)
                    .SetProperty(e => e.ReadyAt, now)
                    .SetProperty(e => e.ExpiresAt, now + Lifetime)
                    .SetProperty(e => e.Size, size)
                    .SetProperty(e => e.LeaseOwner, (string?)null)
                    .SetProperty(e => e.LeaseExpiresAt, (DateTime?)null), CancellationToken.None);
            logger.LogInformation("Export {Export} is ready ({Size} bytes)", export.Id, size);
        }
        catch (Exception ex) when (!ct.IsCancellationRequested)
        {
            // The account may have gone meanwhile (no user to read), or the store be away: tried again, a few times.
            var failed = export.Attempts + 1 >= MaxAttempts;
            logger.LogWarning(ex, "Writing export {Export} failed (attempt {Attempt}){Final}", export.Id, export.Attempts + 1, failed ? "; given up" : "");
            await db.DataExports.Where(e => e.Id == export.Id && e.LeaseOwner == ReplyLeases.Instance)
                .ExecuteUpdateAsync(s => s
                    .SetProperty(e => e.Status, failed ? ExportStatus.Failed : ExportStatus.Pending)
                    .SetProperty(e => e.LeaseOwner, (string?)null)
                    .SetProperty(e => e.LeaseExpiresAt, (DateTime?)null), CancellationToken.None);
        }
        finally
        {
            await renewing.CancelAsync();
            await renewal;
            File.Delete(temp);
        }
    }

    /// <summary>Keeps the lease while the export is written (a large account takes a while).</summary>
    private async Task RenewAsync(Guid id, CancellationToken ct)
    {
        try
        {
            while (true)
            {
                await Task.Delay(Lease / 3, time, ct);
                await using var scope = scopes.CreateAsyncScope();
                var until = time.GetUtcNow().UtcDateTime + Lease;
                await scope.ServiceProvider.GetRequiredService<AppDbContext>().DataExports
                    .Where(e => e.Id == id && e.LeaseOwner == ReplyLeases.Instance)
                    .ExecuteUpdateAsync(s => s.SetProperty(e => e.LeaseExpiresAt, until), ct);
            }
        }
        catch (OperationCanceledException)
        {
        }
        catch (Exception ex)
        {
            logger.LogWarning(ex, "Renewing the lease of export {Export} failed", id);
        }
    }

    /// <summary>Deletes the files of exports past their week or of deleted accounts, then their rows.</summary>
    public async Task<int> SweepAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var store = scope.ServiceProvider.GetRequiredService<IFileStore>();
        var now = time.GetUtcNow().UtcDateTime;
        var gone = await db.DataExports.AsNoTracking()
            .Where(e => e.DeletedAt != null || e.ExpiresAt < now || (e.Status == ExportStatus.Failed && e.CreatedAt < now - Lifetime))
            .Take(100).ToListAsync(ct);
        foreach (var export in gone)
        {
            await store.DeleteAsync(Key(export), ct);
            await db.DataExports.Where(e => e.Id == export.Id).ExecuteDeleteAsync(ct);
        }

        return gone.Count;
    }
}
