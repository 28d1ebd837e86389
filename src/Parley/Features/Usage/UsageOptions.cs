using System.ComponentModel.DataAnnotations;

namespace Parley.Features.Usage;

public sealed class UsageOptions
{
    public const string SectionName = "Usage";

    /// <summary><c>MESSAGE_LIMIT</c>: messages a free user may send per <see cref="Window"/>.</summary>
    [Range(0, 1_000_000)]
    public int FreeMessageLimit { get; set; } = 20;

    /// <summary><c>PREMIUM_MESSAGE_LIMIT</c>: a fair-use limit for premium; empty means unlimited.</summary>
    [Range(1, 10_000_000)]
    public int? PremiumMessageLimit { get; set; }

    /// <summary>Optional token limit (input + output) per window on the free plan, besides the message limit.</summary>
    [Range(1, int.MaxValue)]
    public int? FreeTokenLimit { get; set; }

    /// <summary>Optional token limit per window on the premium plan.</summary>
    [Range(1, int.MaxValue)]
    public int? PremiumTokenLimit { get; set; }

    /// <summary><c>TIME_FRAME</c>: the sliding window the limits apply to (30m, 1h, 24h, 7d).</summary>
    [Range(typeof(TimeSpan), "00:01:00", "366.00:00:00")]
    public TimeSpan Window { get; set; } = TimeSpan.FromHours(24);

    /// <summary>Shown in the upgrade dialog; billing sets the real price later.</summary>
    [MaxLength(40)]
    public string PremiumPriceLabel { get; set; } = "$10 / month";
}
