using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Parley.Tests.Infrastructure;

/// <summary>
/// Debian's nginx (test.sh installs it) in front of some Parley processes, round robin, with the configuration an
/// operator would use for Parley (deploy/nginx.conf's proxy settings), on its own port and folder.
/// </summary>
public sealed class Nginx : IAsyncDisposable
{
    private readonly Process _process;
    private readonly string _prefix;

    private Nginx(Process process, string prefix, int port) => (_process, _prefix, Address) = (process, prefix, new Uri($"http://127.0.0.1:{port}"));

    public Uri Address { get; }

    public static async Task<Nginx> StartAsync(IEnumerable<Uri> upstreams)
    {
        var binary = File.Exists("/usr/sbin/nginx") ? "/usr/sbin/nginx" : throw new InvalidOperationException("nginx is missing: run ./test.sh, which installs it");
        var prefix = Directory.CreateTempSubdirectory("parley-nginx-").FullName;
        Directory.CreateDirectory(Path.Combine(prefix, "logs"));
        var port = FreePort();
        // The proxy settings are deploy/nginx.conf's own, so the file operators use is the one exercised here.
        var deployed = await File.ReadAllTextAsync(Path.Combine(Repository.Root, "deploy", "nginx.conf"));
        var location = deployed[deployed.IndexOf("location / {", StringComparison.Ordinal)..deployed.LastIndexOf('}')];
        var servers = string.Concat(upstreams.Select(u => $"    server {u.Authority} max_fails=3 fail_timeout=10s;\n"));
        await File.WriteAllTextAsync(Path.Combine(prefix, "nginx.conf"), $$"""
            worker_processes 1;
            error_log {{prefix}}/logs/error.log;
            pid {{prefix}}/nginx.pid;
            events { worker_connections 1024; }
            http {
              access_log {{prefix}}/logs/access.log;
              client_body_temp_path {{prefix}}/body;
              proxy_temp_path {{prefix}}/proxy;
              upstream parley {
            {{servers}}    keepalive 32;
              }
              server {
                listen 127.0.0.1:{{port}};
                client_max_body_size 1m;
                {{location}}
              }
            }
            """);
        var process = Process.Start(new ProcessStartInfo(binary, ["-p", prefix, "-c", Path.Combine(prefix, "nginx.conf"), "-g", "daemon off;"])
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
        })!;
        var nginx = new Nginx(process, prefix, port);
        using var http = new HttpClient { BaseAddress = nginx.Address };
        for (var i = 0; i < 100; i++)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"nginx exited: {await process.StandardError.ReadToEndAsync()}");
            }

            try
            {
                await http.GetAsync("/healthz/live");
                return nginx;
            }
            catch (HttpRequestException)
            {
                await Task.Delay(50);
            }
        }

        throw new TimeoutException("nginx did not start");
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
        Directory.Delete(_prefix, recursive: true);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
