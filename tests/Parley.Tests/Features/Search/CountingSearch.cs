using Microsoft.Extensions.DependencyInjection;
using Parley.Features.Search;

namespace Parley.Tests.Features.Search;

/// <summary>How many searches reached the database on one app instance.</summary>
public sealed class SearchCounter
{
    private int _calls;

    public int Calls => _calls;

    public void Add() => Interlocked.Increment(ref _calls);
}

/// <summary>Counts the searches that reach the database, by wrapping the provider's <see cref="IMessageSearch"/>.</summary>
public sealed class CountingSearch(IMessageSearch inner, SearchCounter counter) : IMessageSearch
{
    public static void Wrap(IServiceCollection services)
    {
        var registered = services.Single(d => d.ServiceType == typeof(IMessageSearch));
        services.Remove(registered);
        services.AddSingleton<SearchCounter>();
        services.AddScoped<IMessageSearch>(sp => new CountingSearch(
            (IMessageSearch)ActivatorUtilities.CreateInstance(sp, registered.ImplementationType!), sp.GetRequiredService<SearchCounter>()));
    }

    public Task<IReadOnlyList<ChatHit>> ChatsAsync(Guid userId, SearchQuery query, int limit, CancellationToken ct)
    {
        counter.Add();
        return inner.ChatsAsync(userId, query, limit, ct);
    }

    public Task<IReadOnlyList<ScoredHit>> MessagesAsync(
        Guid userId, SearchQuery query, SearchFilter filter, SearchPosition? after, int limit, CancellationToken ct)
    {
        counter.Add();
        return inner.MessagesAsync(userId, query, filter, after, limit, ct);
    }
}
