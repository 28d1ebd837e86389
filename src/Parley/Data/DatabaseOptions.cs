using System.ComponentModel.DataAnnotations;

namespace Parley.Data;

public sealed class DatabaseOptions
{
    public const string SectionName = "Database";

    /// <summary>
    /// <c>sqlite:///./parley.db</c>, <c>postgres://user:pass@host:5432/db</c>, or an Npgsql connection string
    /// (<c>Host=...;Database=...</c>). Set through <c>DATABASE_URL</c>.
    /// </summary>
    [Required(AllowEmptyStrings = false)]
    public string Url { get; set; } = "sqlite:///./parley.db";
}
