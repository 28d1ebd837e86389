// Time to first token that Parley adds over calling the model server directly, and bytes on the wire.
//   dotnet run -c Release --project bench/Ttft -- PATH/TO/Parley.dll
// Starts a fake OpenAI-compatible server (first token after a fixed delay), starts Parley pointed at it, and
// measures, from the client's side, the first content chunk straight from the fake and the first `delta` event
// from Parley's SSE endpoint, at 1 and 50 concurrent streams.
using System.Diagnostics;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

var parleyDll = args.Length > 0 ? Path.GetFullPath(args[0]) : throw new ArgumentException("usage: Ttft PATH/TO/Parley.dll");
var mode = args.Length > 1 ? args[1] : "ttft"; // ttft | bytes
var firstTokenDelay = TimeSpan.FromMilliseconds(50);
// Between tokens of the long reply: 0 (as fast as the fake can write) or a model's pace ("long 5": 5 ms a token).

// --- The fake model server -------------------------------------------------------------------------------------
var builder = WebApplication.CreateSlimBuilder();
builder.WebHost.UseUrls("http://127.0.0.1:0");
builder.Logging.ClearProviders();
var fake = builder.Build();
fake.MapGet("/v1/models", () => Results.Json(new { @object = "list", data = new[] { new { id = "bench", @object = "model" } } }));
fake.MapPost("/v1/chat/completions", async (HttpContext http) =>
{
    var body = await JsonDocument.ParseAsync(http.Request.Body);
    var question = body.RootElement.GetProperty("messages").EnumerateArray().Last().GetProperty("content").ToString();
    var tokens = question.StartsWith("long", StringComparison.Ordinal) ? 4000 : 20;
    var pace = question.StartsWith("long ", StringComparison.Ordinal) && int.TryParse(question[5..], System.Globalization.CultureInfo.InvariantCulture, out var ms)
        ? TimeSpan.FromMilliseconds(ms) : TimeSpan.Zero;
    http.Response.ContentType = "text/event-stream";
    async Task Send(string json)
    {
        await http.Response.WriteAsync($"data: {json}\n\n");
        await http.Response.Body.FlushAsync();
    }

    await Send("""{"id":"c","object":"chat.completion.chunk","created":0,"model":"bench","choices":[{"index":0,"delta":{"role":"assistant","content":""},"finish_reason":null}]}""");
    await Task.Delay(firstTokenDelay);
    for (var i = 0; i < tokens; i++)
    {
        if (pace > TimeSpan.Zero)
        {
            await Task.Delay(pace);
        }

        await Send($$"""{"id":"c","object":"chat.completion.chunk","created":0,"model":"bench","choices":[{"index":0,"delta":{"content":"tok{{i % 10}} "},"finish_reason":null}]}""");
    }

    await Send("""{"id":"c","object":"chat.completion.chunk","created":0,"model":"bench","choices":[{"index":0,"delta":{},"finish_reason":"stop"}]}""");
    await Send("""{"id":"c","object":"chat.completion.chunk","created":0,"model":"bench","choices":[],"usage":{"prompt_tokens":10,"completion_tokens":20,"total_tokens":30}}""");
    await http.Response.WriteAsync("data: [DONE]\n\n");
});
await fake.StartAsync();
var fakeUrl = fake.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();

// --- Parley --------------------------------------------------------------------------------------------------------
var work = Directory.CreateTempSubdirectory("parley-ttft-").FullName;
var parleyUrl = "http://127.0.0.1:5399";
var start = new ProcessStartInfo("dotnet", [parleyDll]) { WorkingDirectory = work, RedirectStandardOutput = true, RedirectStandardError = true };
foreach (var (k, v) in new Dictionary<string, string>
{
    ["ASPNETCORE_ENVIRONMENT"] = "Production", ["ASPNETCORE_URLS"] = parleyUrl,
    ["DATABASE_URL"] = Environment.GetEnvironmentVariable("BENCH_DATABASE_URL") ?? $"sqlite:///{work}/bench.db",
    ["SECRET_KEY"] = Convert.ToBase64String(Guid.NewGuid().ToByteArray()) + Convert.ToBase64String(Guid.NewGuid().ToByteArray()),
    ["OPENAI_BASE_URL"] = $"{fakeUrl}/v1", ["OPENAI_API_KEY"] = "sk-bench", ["OPENAI_MODEL"] = "bench",
    ["MESSAGE_LIMIT"] = "1000000", ["BCRYPT_WORK_FACTOR"] = "4", ["Logging__LogLevel__Default"] = "Warning",
    ["Auth__AttemptsPerMinutePerIp"] = "1000",
})
{
    start.Environment[k] = v;
}

using var parley = Process.Start(start)!;
_ = parley.StandardOutput.ReadToEndAsync();
var parleyErrors = parley.StandardError.ReadToEndAsync();
using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 200 }) { Timeout = TimeSpan.FromMinutes(2) };
for (var i = 0; ; i++)
{
    try
    {
        if ((await http.GetAsync($"{parleyUrl}/healthz")).IsSuccessStatusCode)
        {
            break;
        }
    }
    catch (HttpRequestException) when (i < 100 && !parley.HasExited)
    {
    }
    catch (HttpRequestException)
    {
        Console.Error.WriteLine($"Parley did not start: {(parley.HasExited ? await parleyErrors : "no answer")}");
        throw;
    }

    await Task.Delay(200);
}

try
{
    // 50 users with a chat each: concurrent streams of one user queue on that user's quota lock by design.
    var chats = new List<(long Id, string Token)>();
    for (var i = 0; i < 50; i++)
    {
        var session = await (await http.PostAsJsonAsync($"{parleyUrl}/api/auth/register", new { email = $"bench{i}@example.com", password = "a bench of nine mossy oaks" }))
            .Content.ReadFromJsonAsync<JsonElement>();
        var token = session.GetProperty("accessToken").GetString()!;
        using var create = new HttpRequestMessage(HttpMethod.Post, $"{parleyUrl}/api/chats") { Content = JsonContent.Create(new { title = "bench" }) };
        create.Headers.Authorization = new("Bearer", token);
        chats.Add(((await (await http.SendAsync(create)).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64(), token));
    }

    async Task<double> DirectAsync()
    {
        var watch = Stopwatch.StartNew();
        using var request = new HttpRequestMessage(HttpMethod.Post, $"{fakeUrl}/v1/chat/completions")
        {
            Content = JsonContent.Create(new { model = "bench", stream = true, messages = new[] { new { role = "user", content = "hi" } } }),
        };
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        double? first = null;
        while (await reader.ReadLineAsync() is { } line)
        {
            if (first is null && line.Contains("\"content\":\"tok", StringComparison.Ordinal))
            {
                first = watch.Elapsed.TotalMilliseconds;
            }
        }

        return first ?? double.NaN;
    }

    async Task<(double FirstDelta, long Bytes, int TextLength)> ParleyAsync((long Id, string Token) chat, string question)
    {
        var watch = Stopwatch.StartNew();
        using var request = new HttpRequestMessage(HttpMethod.Post, $"{parleyUrl}/api/chats/{chat.Id}/messages/stream") { Content = JsonContent.Create(new { content = question }) };
        request.Headers.Authorization = new("Bearer", chat.Token);
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        var stream = await response.Content.ReadAsStreamAsync();
        using var reader = new StreamReader(stream, Encoding.UTF8);
        double? first = null;
        long bytes = 0;
        var text = 0;
        while (await reader.ReadLineAsync() is { } line)
        {
            bytes += Encoding.UTF8.GetByteCount(line) + 1;
            if (first is null && line == "event: delta")
            {
                first = watch.Elapsed.TotalMilliseconds;
            }

            if (line.StartsWith("data: {\"text\"", StringComparison.Ordinal))
            {
                text += JsonDocument.Parse(line[6..]).RootElement.GetProperty("text").GetString()!.Length;
            }
        }

        return (first ?? double.NaN, bytes, text);
    }

    static double Percentile(List<double> values, double p)
    {
        var sorted = values.Order().ToList();
        return sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Count) - 1, 0, sorted.Count - 1)];
    }

    // Warm-up (JIT, connection pools), not measured.
    for (var i = 0; i < 20; i++)
    {
        await DirectAsync();
        await ParleyAsync(chats[0], "warm up");
    }

    if (mode == "bytes")
    {
        Console.WriteLine("| fake model's pace | replies | characters of text | bytes of SSE | bytes per character (median, spread) |");
        Console.WriteLine("| --- | --- | --- | --- | --- |");
        foreach (var pace in new[] { 0, 1, 5 })
        {
            var perChar = new List<double>();
            var (bytes, text) = (0L, 0);
            for (var r = 0; r < 5; r++)
            {
                (_, bytes, text) = await ParleyAsync(chats[2 + r], pace == 0 ? "long reply please" : $"long {pace}");
                perChar.Add((double)bytes / text);
            }

            Console.WriteLine($"| {(pace == 0 ? "as fast as it can write" : $"{pace} ms a token")} | 5 | {text:N0} | {bytes:N0} | {Percentile(perChar, 0.5):0.00} ({perChar.Min():0.00}-{perChar.Max():0.00}) |");
        }

        return;
    }

    Console.WriteLine($"first token delay of the fake model: {firstTokenDelay.TotalMilliseconds} ms; rounds alternate direct and via Parley");
    Console.WriteLine("| concurrent streams | rounds | samples | direct p50 | direct p99 | via Parley p50 | via Parley p99 | added p50 (median, spread of rounds) | added p99 (median, spread) |");
    Console.WriteLine("| --- | --- | --- | --- | --- | --- | --- | --- | --- |");
    foreach (var (concurrency, rounds, perRound) in new[] { (1, 5, 40), (50, 5, 2) })
    {
        var direct = new List<double>();
        var via = new List<double>();
        var added50 = new List<double>();
        var added99 = new List<double>();
        for (var r = 0; r < rounds; r++)
        {
            var d = new List<double>();
            var v = new List<double>();
            for (var k = 0; k < perRound; k++)
            {
                d.AddRange(await Task.WhenAll(Enumerable.Range(0, concurrency).Select(_ => DirectAsync())));
                v.AddRange((await Task.WhenAll(Enumerable.Range(0, concurrency).Select(i => ParleyAsync(chats[i], "hi")))).Select(x => x.FirstDelta));
            }

            added50.Add(Percentile(v, 0.5) - Percentile(d, 0.5));
            added99.Add(Percentile(v, 0.99) - Percentile(d, 0.99));
            direct.AddRange(d);
            via.AddRange(v);
        }

        double D(double p) => Percentile(direct, p);
        double V(double p) => Percentile(via, p);
        Console.WriteLine($"| {concurrency} | {rounds} | {via.Count} | {D(0.5):0.0} ms | {D(0.99):0.0} ms | {V(0.5):0.0} ms | {V(0.99):0.0} ms | " +
                          $"{Percentile(added50, 0.5):0.0} ms ({added50.Min():0.0} to {added50.Max():0.0}) | {Percentile(added99, 0.5):0.0} ms ({added99.Min():0.0} to {added99.Max():0.0}) |");
    }
}
finally
{
    parley.Kill(entireProcessTree: true);
    await fake.StopAsync();
}
