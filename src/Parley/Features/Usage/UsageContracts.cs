using Parley.Features.Auth;

namespace Parley.Features.Usage;

/// <summary>
/// Where the user stands. <c>Limit</c> and <c>Remaining</c> are null on an unlimited plan. <c>NextFreeAt</c> is when
/// the oldest message in the window drops out (one more becomes available); null when nothing is used.
/// </summary>
public sealed record UsageResponse(
    Plan Plan,
    int Used,
    int? Limit,
    int? Remaining,
    int WindowSeconds,
    DateTimeOffset? NextFreeAt,
    long TokensUsed,
    int? TokenLimit);

/// <summary><c>AcceptsImages</c>: the plan's model takes images; without it the composer says so before sending.</summary>
public sealed record PlanResponse(Plan Plan, string Name, int? MessageLimit, int WindowSeconds, string? Price, bool AcceptsImages = true);

public sealed record PlansResponse(IReadOnlyList<PlanResponse> Plans);
