namespace Parley.Hosting;

/// <summary>Reads <c>KEY=value</c> lines from a .env file: comments, blank lines, <c>export</c> and quotes allowed.</summary>
public static class DotEnv
{
    /// <summary>
    /// The .env file in the working directory; failing that, in a parent up to the repository root, so that
    /// <c>dotnet run --project src/Parley</c> (which runs in src/Parley) finds the one beside README.md.
    /// </summary>
    public static string Locate(string workingDirectory)
    {
        for (var dir = new DirectoryInfo(workingDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, ".env");
            if (File.Exists(candidate) || File.Exists(Path.Combine(dir.FullName, "Parley.slnx")))
            {
                return candidate;
            }
        }

        return Path.Combine(workingDirectory, ".env");
    }

    public static IEnumerable<KeyValuePair<string, string>> Read(string path)
    {
        if (!File.Exists(path))
        {
            yield break;
        }

        foreach (var raw in File.ReadLines(path))
        {
            var line = raw.Trim();
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            if (line.StartsWith("export ", StringComparison.Ordinal))
            {
                line = line["export ".Length..].TrimStart();
            }

            var equals = line.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                continue;
            }

            var key = line[..equals].Trim();
            var value = line[(equals + 1)..].Trim();
            if (value.Length >= 2 && (value[0] == '"' || value[0] == '\'') && value[^1] == value[0])
            {
                value = value[1..^1];
            }
            else
            {
                var comment = value.IndexOf(" #", StringComparison.Ordinal);
                if (comment >= 0)
                {
                    value = value[..comment].TrimEnd();
                }
            }

            yield return new(key, value);
        }
    }
}
