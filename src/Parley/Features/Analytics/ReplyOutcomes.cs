using Parley.Features.Chats;

namespace Parley.Features.Analytics;

/// <summary>How a reply ended, as the dashboard names it.</summary>
public static class ReplyOutcomes
{
    public const string Complete = "complete";
    public const string Failed = "failed";
    public const string Stopped = "stopped";
    public const string Interrupted = "interrupted";

    public static string Of(MessageStatus status) => status switch
    {
        MessageStatus.Failed => Failed,
        MessageStatus.Stopped => Stopped,
        MessageStatus.Interrupted => Interrupted,
        _ => Complete,
    };
}
