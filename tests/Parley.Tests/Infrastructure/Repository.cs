namespace Parley.Tests.Infrastructure;

public static class Repository
{
    /// <summary>The checkout's root folder (where Parley.slnx is), found from the test binaries upwards.</summary>
    public static string Root { get; } = Find();

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Parley.slnx")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Cannot find the repository root (Parley.slnx).");
    }
}
