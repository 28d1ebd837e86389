using System.Text.RegularExpressions;
using Parley.Tests.Infrastructure;
using YamlDotNet.RepresentationModel;

namespace Parley.Tests.Hosting;

/// <summary>
/// The Dockerfile, compose.yaml and the systemd unit can't be run here (no container registry), so what can drift in
/// them is checked: every setting they pass is one README documents, and every file they copy exists.
/// </summary>
public sealed partial class DeploymentFilesTests
{
    private static readonly string Readme = File.ReadAllText(Path.Combine(Repository.Root, "README.md"));

    private static string Read(params string[] path) => File.ReadAllText(Path.Combine([Repository.Root, .. path]));

    public static TheoryData<string, string> SettingsTheyPass()
    {
        var data = new TheoryData<string, string>();
        foreach (Match env in DockerEnv().Matches(Read("Dockerfile")))
        {
            data.Add("Dockerfile", env.Groups["name"].Value);
        }

        foreach (Match env in SystemdEnvironment().Matches(Read("deploy", "parley.service")))
        {
            data.Add("deploy/parley.service", env.Groups["name"].Value);
        }

        var compose = new YamlStream();
        compose.Load(new StringReader(Read("compose.yaml")));
        var services = (YamlMappingNode)((YamlMappingNode)compose.Documents[0].RootNode)["services"];
        foreach (var (name, service) in services.Children)
        {
            if (((YamlScalarNode)name).Value!.StartsWith("parley", StringComparison.Ordinal))
            {
                foreach (var (key, _) in (YamlMappingNode)((YamlMappingNode)service)["environment"])
                {
                    data.Add($"compose.yaml ({name})", ((YamlScalarNode)key).Value!);
                }
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(SettingsTheyPass))]
    public void EverySettingTheDeploymentFilesPassIsDocumented(string file, string setting) =>
        Assert.True(Readme.Contains($"`{setting}`", StringComparison.Ordinal),
            $"{file} sets {setting}, which README.md's configuration table does not document.");

    [Fact]
    public void EveryFileTheDockerfileCopiesExists()
    {
        var sources = DockerCopy().Matches(Read("Dockerfile")).SelectMany(m => m.Groups["sources"].Value.Split(' ', StringSplitOptions.RemoveEmptyEntries));

        Assert.All(sources, source => Assert.True(
            File.Exists(Path.Combine(Repository.Root, source)) || Directory.Exists(Path.Combine(Repository.Root, source)),
            $"The Dockerfile copies {source}, which does not exist."));
    }

    [Fact]
    public void TheImageAndTheUnitCheckReadinessAndStopWithTime()
    {
        Assert.Contains("/healthz/ready", Read("Dockerfile"), StringComparison.Ordinal);
        Assert.Contains("USER app", Read("Dockerfile"), StringComparison.Ordinal);
        var nginx = Read("deploy", "nginx.conf");
        Assert.Contains("proxy_buffering off;", nginx, StringComparison.Ordinal); // streams pass through as written
        Assert.Contains("proxy_http_version 1.1;", nginx, StringComparison.Ordinal);
        Assert.Matches(@"TimeoutStopSec=\d+", Read("deploy", "parley.service"));
    }

    [GeneratedRegex(@"^\s*(?:ENV\s+|\s+)(?<name>[A-Z][A-Z0-9_]*)=", RegexOptions.Multiline)]
    private static partial Regex DockerEnv();

    [GeneratedRegex(@"^Environment=(?<name>[A-Za-z_][A-Za-z0-9_]*)=", RegexOptions.Multiline)]
    private static partial Regex SystemdEnvironment();

    // COPY lines from the build context (not --from=stage), without the destination.
    [GeneratedRegex(@"^COPY (?!--from)(?<sources>.+?) \S+$", RegexOptions.Multiline)]
    private static partial Regex DockerCopy();
}
