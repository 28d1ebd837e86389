using System.ComponentModel.DataAnnotations;

namespace Parley.Features.Search;

public sealed class SearchOptions
{
    public const string SectionName = "Search";

    /// <summary>
    /// PostgreSQL's text-search configuration for the words (<c>simple</c>: no stemming, any language; or
    /// <c>english</c>, <c>german</c>, … to match word forms). Changing it re-indexes at the next start. SQLite's
    /// FTS5 index does not stem, whatever this says.
    /// </summary>
    [Required, RegularExpression("^[a-z_]{1,63}$", ErrorMessage = "Search__Language must be the name of a PostgreSQL text search configuration, such as simple or english.")]
    public string Language { get; set; } = "simple";
}
