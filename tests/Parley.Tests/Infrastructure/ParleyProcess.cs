using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Parley.Tests.Infrastructure;

/// <summary>
/// The published build (laid out once per test run from the suite's build) running as its own process, as an
/// operator runs it: Production, started from another folder, its own port. It can be stopped with SIGTERM or
/// killed with SIGKILL.
/// </summary>
public sealed class ParleyProcess : IAsyncDisposable
{
    private static readonly Lazy<Task<string>> Published = new(PublishAsync);
    private readonly Process _process;
    private readonly StringBuilder _log = new();

    private ParleyProcess(Process process, Uri address)
    {
        (_process, Address) = (process, address);
        Client = new HttpClient { BaseAddress = address };
    }

    public Uri Address { get; }

    public HttpClient Client { get; }

    public string Log
    {
        get
        {
            lock (_log)
            {
                return _log.ToString();
            }
        }
    }

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    public static async Task<ParleyProcess> StartAsync(string workingDirectory, IDictionary<string, string> settings)
    {
        var port = FreePort();
        var start = new ProcessStartInfo("dotnet", [Path.Combine(await Published.Value, "Parley.dll")])
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}";
        start.Environment["SECRET_KEY"] = new string('k', 40);
        foreach (var (name, value) in settings)
        {
            start.Environment[name] = value;
        }

        var parley = new ParleyProcess(Process.Start(start)!, new Uri($"http://127.0.0.1:{port}"));
        parley._process.OutputDataReceived += (_, e) => parley.Append(e.Data);
        parley._process.ErrorDataReceived += (_, e) => parley.Append(e.Data);
        parley._process.BeginOutputReadLine();
        parley._process.BeginErrorReadLine();
        await parley.WaitUntilReadyAsync();
        return parley;
    }

    /// <summary>SIGTERM, as systemd, Docker or Kubernetes stop a service.</summary>
    public void Terminate() => Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])!.WaitForExit();

    /// <summary>SIGKILL (kill -9): no shutdown code runs.</summary>
    public void Kill() => _process.Kill(entireProcessTree: true);

    public Task WaitForExitAsync(TimeSpan limit) => _process.WaitForExitAsync().WaitAsync(limit);

    private async Task WaitUntilReadyAsync()
    {
        for (var i = 0; i < 600; i++)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"Parley exited with {_process.ExitCode}: {Log}");
            }

            try
            {
                if ((await Client.GetAsync("/healthz/ready")).StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // not listening yet
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"Parley never became ready: {Log}");
    }

    private void Append(string? line)
    {
        lock (_log)
        {
            _log.AppendLine(line);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
        Client.Dispose();
    }

    /// <summary>The suite's build is already there (test.sh builds first): publishing it only lays the files out.</summary>
    private static async Task<string> PublishAsync()
    {
        var output = Directory.CreateTempSubdirectory("parley-publish-").FullName;
        var configuration = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Parent!.Name; // Debug
        using var publish = Process.Start(new ProcessStartInfo("dotnet",
            ["publish", Path.Combine(Repository.Root, "src", "Parley"), "--no-build", "-c", configuration, "-o", output,
             "-p:SkipWebBuild=true", "-nologo", "-v", "q"])
        {
            WorkingDirectory = Repository.Root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        var text = publish.StandardOutput.ReadToEndAsync();
        var error = publish.StandardError.ReadToEndAsync();
        await publish.WaitForExitAsync();
        return publish.ExitCode == 0 ? output : throw new InvalidOperationException($"dotnet publish failed: {await text}{await error}");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
