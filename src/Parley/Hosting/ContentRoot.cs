namespace Parley.Hosting;

/// <summary>
/// Where the UI (wwwroot) and appsettings.json are. The host's default is the working directory, which is right for
/// <c>dotnet run</c> (the project folder) but not for the published build started from elsewhere (a service manager,
/// a script in another folder): it then served no UI and missed appsettings.json, so it logged every SQL command.
/// </summary>
public static class ContentRoot
{
    /// <summary>The app's own folder, unless the working directory has the settings or a root is given explicitly.</summary>
    public static string? Choose(string[] args)
    {
        var given = args.Any(a => a.StartsWith("--contentRoot", StringComparison.OrdinalIgnoreCase)) ||
                    !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("ASPNETCORE_CONTENTROOT")) ||
                    !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("DOTNET_CONTENTROOT"));
        return given || File.Exists(Path.Combine(Directory.GetCurrentDirectory(), "appsettings.json"))
            ? null
            : AppContext.BaseDirectory;
    }
}
