using Microsoft.Extensions.Caching.Memory;
using Parley.Features.Auth;

namespace Parley.Features.Usage;

/// <summary>
/// The usage this instance last saw for each recent user: only to decide whether a send may call the model while
/// its quota is being taken (<see cref="Chats.HeadStart"/>). It never admits or refuses a send; the database does.
/// It may be behind (another instance, another tab), so a send it allows can still be refused: then the head start
/// is cancelled and the usage that refused it is remembered, and the next send waits for its quota first.
/// </summary>
public sealed class UsageHints(TimeProvider time) : IDisposable
{
    /// <summary>Users remembered at most; the least recently used are forgotten first.</summary>
    public const int Capacity = 100_000;

    private static readonly MemoryCacheEntryOptions Entry = new() { Size = 1, SlidingExpiration = TimeSpan.FromHours(1) };
    private readonly MemoryCache _cache = new(new MemoryCacheOptions { SizeLimit = Capacity, CompactionPercentage = 0.1 });

    public void Remember(Guid userId, UsageResponse usage) => _cache.Set(userId, usage, Entry);

    /// <summary>
    /// The user's plan when the usage last seen here leaves a message to take (or frees one by now); null when it
    /// does not, or when this instance has not seen the user's usage yet.
    /// </summary>
    public Plan? MayTake(Guid userId) =>
        _cache.TryGetValue(userId, out UsageResponse? usage) && usage is not null &&
        (usage.Remaining is null or > 0 || usage.NextFreeAt <= time.GetUtcNow())
            ? usage.Plan
            : null;

    public void Dispose() => _cache.Dispose();
}
