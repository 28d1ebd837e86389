// Stop latency and follower lag across two Parley instances on one PostgreSQL.
//   BENCH_DATABASE_URL=postgres://... dotnet run -c Release --project bench/CrossInstance -- PATH/TO/Parley.dll
// Starts a fake OpenAI-compatible server (a token every 20 ms) and two Parley instances pointed at it, then measures
//  - follower lag: a reply streamed from instance A while a second client follows it through instance B; for each
//    delta B gets, the time since A's stream had reached the same length;
//  - stop latency: a Stop sent to instance B for a reply generated on A, until the fake model sees its request end.
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

var parleyDll = args.Length > 0 ? Path.GetFullPath(args[0]) : throw new ArgumentException("usage: CrossInstance PATH/TO/Parley.dll");
var database = Environment.GetEnvironmentVariable("BENCH_DATABASE_URL") ?? throw new ArgumentException("set BENCH_DATABASE_URL to a PostgreSQL database");
var clock = Stopwatch.StartNew();
var aborted = new ConcurrentQueue<double>();

// --- The fake model: 150 tokens, one every 20 ms (a 3 s reply) -------------------------------------------------------
var builder = WebApplication.CreateSlimBuilder();
builder.WebHost.UseUrls("http://127.0.0.1:0");
builder.Logging.ClearProviders();
var fake = builder.Build();
fake.MapGet("/v1/models", () => Results.Json(new { @object = "list", data = new[] { new { id = "bench", @object = "model" } } }));
fake.MapPost("/v1/chat/completions", async (HttpContext http) =>
{
    using var _ = http.RequestAborted.Register(() => aborted.Enqueue(clock.Elapsed.TotalMilliseconds));
    http.Response.ContentType = "text/event-stream";
    try
    {
        for (var i = 0; i < 150; i++)
        {
            await http.Response.WriteAsync($$"""data: {"id":"c","object":"chat.completion.chunk","created":0,"model":"bench","choices":[{"index":0,"delta":{"content":"tok{{i % 10}} "},"finish_reason":null}]}""" + "\n\n", http.RequestAborted);
            await http.Response.Body.FlushAsync(http.RequestAborted);
            await Task.Delay(20, http.RequestAborted);
        }

        await http.Response.WriteAsync("""data: {"id":"c","object":"chat.completion.chunk","created":0,"model":"bench","choices":[{"index":0,"delta":{},"finish_reason":"stop"}]}""" + "\n\ndata: [DONE]\n\n");
    }
    catch (OperationCanceledException)
    {
    }
});
await fake.StartAsync();
var fakeUrl = fake.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();

// --- Two Parley instances --------------------------------------------------------------------------------------------
var secret = Convert.ToBase64String(Guid.NewGuid().ToByteArray()) + Convert.ToBase64String(Guid.NewGuid().ToByteArray());
Process Start(string url)
{
    var start = new ProcessStartInfo("dotnet", [parleyDll]) { WorkingDirectory = Path.GetTempPath(), RedirectStandardOutput = true, RedirectStandardError = true };
    foreach (var (k, v) in new Dictionary<string, string>
    {
        ["ASPNETCORE_ENVIRONMENT"] = "Production", ["ASPNETCORE_URLS"] = url, ["DATABASE_URL"] = database, ["SECRET_KEY"] = secret,
        ["OPENAI_BASE_URL"] = $"{fakeUrl}/v1", ["OPENAI_API_KEY"] = "sk-bench", ["OPENAI_MODEL"] = "bench",
        ["MESSAGE_LIMIT"] = "1000000", ["BCRYPT_WORK_FACTOR"] = "4", ["Logging__LogLevel__Default"] = "Warning",
    })
    {
        start.Environment[k] = v;
    }

    var process = Process.Start(start)!;
    _ = process.StandardOutput.ReadToEndAsync();
    _ = process.StandardError.ReadToEndAsync();
    return process;
}

var (a, b) = ("http://127.0.0.1:5401", "http://127.0.0.1:5402");
using var owner = Start(a);
await Ready(a); // one at a time: the first migrates
using var other = Start(b);
await Ready(b);
using var http = new HttpClient { Timeout = TimeSpan.FromMinutes(2) };
try
{
    var session = await (await http.PostAsJsonAsync($"{a}/api/auth/register", new { email = $"bench-{Guid.NewGuid():N}@example.com", password = "a bench of nine mossy oaks" }))
        .Content.ReadFromJsonAsync<JsonElement>();
    http.DefaultRequestHeaders.Authorization = new("Bearer", session.GetProperty("accessToken").GetString());
    var chat = (await (await http.PostAsJsonAsync($"{a}/api/chats", new { title = "bench" })).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64();

    // Follower lag.
    var lags = new List<double>();
    for (var round = 0; round < 11; round++)
    {
        var ownerAt = new List<(int Length, double At)>();
        var followerAt = new List<(int Length, double At)>();
        var replyId = new TaskCompletionSource<long>();
        var sender = Read(await Open(HttpMethod.Post, $"{a}/api/chats/{chat}/messages/stream", new { content = "hi" }), ownerAt, replyId);
        var follower = Read(await Open(HttpMethod.Get, $"{b}/api/chats/{chat}/messages/{await replyId.Task}/stream"), followerAt, null);
        await Task.WhenAll(sender, follower);
        if (round == 0)
        {
            continue; // warm-up
        }

        // The follower's first delta is the text so far, which it could not have had earlier: skipped.
        foreach (var (length, at) in followerAt.Skip(1))
        {
            lags.Add(at - ownerAt.First(o => o.Length >= length).At);
        }
    }

    Console.WriteLine($"follower lag through the other instance, {lags.Count} deltas over 10 replies: {Summary(lags)}");

    // Stop latency.
    var stops = new List<double>();
    for (var round = 0; round < 31; round++)
    {
        var replyId = new TaskCompletionSource<long>();
        var ownerAt = new List<(int Length, double At)>();
        var before = aborted.Count;
        var sender = Read(await Open(HttpMethod.Post, $"{a}/api/chats/{chat}/messages/stream", new { content = "hi" }), ownerAt, replyId);
        var id = await replyId.Task;
        await Task.Delay(300);
        var sent = clock.Elapsed.TotalMilliseconds;
        (await http.PostAsync($"{b}/api/chats/{chat}/messages/{id}/stop", null)).EnsureSuccessStatusCode();
        await sender;
        while (aborted.Count == before)
        {
            await Task.Delay(5);
        }

        if (round > 0)
        {
            stops.Add(aborted.Last() - sent);
        }
    }

    Console.WriteLine($"stop through the other instance until the model's request ends, {stops.Count} stops: {Summary(stops)}");
}
finally
{
    owner.Kill();
    other.Kill();
    await fake.StopAsync();
}

async Task<HttpResponseMessage> Open(HttpMethod method, string url, object? body = null)
{
    var request = new HttpRequestMessage(method, url) { Content = body is null ? null : JsonContent.Create(body) };
    request.Headers.Accept.ParseAdd("text/event-stream");
    var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
    return response.EnsureSuccessStatusCode();
}

// Records, for each delta, the reply's length so far and when it arrived.
async Task Read(HttpResponseMessage response, List<(int Length, double At)> arrivals, TaskCompletionSource<long>? replyId)
{
    using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
    var (type, length) = ("", 0);
    while (await reader.ReadLineAsync() is { } line)
    {
        if (line.StartsWith("event:", StringComparison.Ordinal))
        {
            type = line[6..].Trim();
        }
        else if (line.StartsWith("data:", StringComparison.Ordinal))
        {
            var data = JsonDocument.Parse(line[5..]).RootElement;
            if (type == "start")
            {
                replyId?.SetResult(data.GetProperty("reply").GetProperty("id").GetInt64());
            }
            else if (type == "delta")
            {
                length += data.GetProperty("text").GetString()!.Length;
                arrivals.Add((length, clock.Elapsed.TotalMilliseconds));
            }
        }
    }
}

async Task Ready(string url)
{
    for (var i = 0; i < 300; i++)
    {
        try
        {
            if ((await new HttpClient().GetAsync($"{url}/healthz/ready")).IsSuccessStatusCode)
            {
                return;
            }
        }
        catch (HttpRequestException)
        {
        }

        await Task.Delay(100);
    }

    throw new TimeoutException($"{url} did not become ready");
}

static string Summary(List<double> values)
{
    var sorted = values.Order().ToList();
    double At(double q) => sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(q * sorted.Count) - 1)];
    return $"p50 {At(0.50):0.0} ms, p90 {At(0.90):0.0} ms, p99 {At(0.99):0.0} ms, max {sorted[^1]:0.0} ms";
}
