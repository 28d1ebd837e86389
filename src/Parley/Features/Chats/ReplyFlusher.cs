using Microsoft.EntityFrameworkCore;
using Parley.Data;

namespace Parley.Features.Chats;

/// <summary>
/// Writes a reply's text so far to its row, beside the model's stream and one write at a time, so a slow or absent
/// database holds up neither the reply nor its followers on this instance. A write that fails is skipped: the next
/// one, or the final write, carries the text. Its context is made at the first write: a short reply never needs one.
/// </summary>
internal sealed class ReplyFlusher(IServiceScopeFactory scopes, Generation generation, ILogger logger) : IAsyncDisposable
{
    private AsyncServiceScope? _scope;

    public Task Running { get; private set; } = Task.CompletedTask;

    public bool Idle => Running.IsCompleted;

    public void Start(string text) => Running = WriteAsync(text);

    private async Task WriteAsync(string text)
    {
        _scope ??= scopes.CreateAsyncScope();
        var db = _scope.Value.ServiceProvider.GetRequiredService<AppDbContext>();
        try
        {
            await db.Messages.Where(m => m.Id == generation.ReplyId && m.Status == MessageStatus.Streaming)
                .ExecuteUpdateAsync(s => s.SetProperty(m => m.Content, text));
            generation.Flushed = text;
        }
        catch (Exception ex) when (DatabaseOutage.Is(ex))
        {
            logger.LogWarning(ex, "Writing the text of reply {ReplyId} so far failed; the next write carries it", generation.ReplyId);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Running;
        if (_scope is { } scope)
        {
            await scope.DisposeAsync();
        }
    }
}
