using Microsoft.AspNetCore.Http.HttpResults;
using Parley.Web;

namespace Parley.Features.Usage;

public static class UsageProblems
{
    public const string UpgradePath = "/upgrade";

    /// <summary>402 with what the UI needs for the upgrade dialog: the limit, the reset time and where to upgrade.</summary>
    public static ProblemHttpResult QuotaExceeded(UsageResponse usage)
    {
        var when = usage.NextFreeAt is { } at ? $" More frees up from {at:HH:mm} UTC." : "";
        var what = usage.TokenLimit is { } tokens && usage.TokensUsed >= tokens
            ? $"all {tokens:N0} tokens"
            : $"all {usage.Limit} messages";
        return TypedResults.Problem(
            $"You have used {what} of your plan for this period.{when} Upgrade to Premium to keep chatting now.",
            statusCode: StatusCodes.Status402PaymentRequired,
            title: "Message limit reached",
            type: ProblemTypes.QuotaExceeded,
            extensions: new Dictionary<string, object?>
            {
                ["plan"] = usage.Plan.ToString(),
                ["limit"] = usage.Limit,
                ["used"] = usage.Used,
                ["remaining"] = 0,
                ["nextFreeAt"] = usage.NextFreeAt,
                ["upgradeUrl"] = UpgradePath,
            });
    }
}
