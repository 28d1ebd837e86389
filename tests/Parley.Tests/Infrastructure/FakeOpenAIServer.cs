using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Parley.Tests.Infrastructure;

/// <summary>
/// An OpenAI-compatible chat-completions server on 127.0.0.1 (a random port), answering in OpenAI's wire format and
/// recording every request body, so Parley's real OpenAI client code runs against it unchanged.
/// </summary>
public sealed class FakeOpenAIServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    public ConcurrentQueue<JsonObject> Requests { get; } = new();
    public ConcurrentQueue<string?> Authorizations { get; } = new();

    /// <summary>Every request's method, path and headers, in arrival order.</summary>
    public ConcurrentQueue<(string Method, string Path, IReadOnlyDictionary<string, string> Headers)> Calls { get; } = new();

    /// <summary>When a client hung up on a streamed answer, by the server's clock.</summary>
    public ConcurrentQueue<DateTimeOffset> Aborted { get; } = new();

    /// <summary>What the next answers do; by default a reply quoting the last user message.</summary>
    public Func<JsonObject, FakeAnswer> Behaviour { get; set; } = request =>
        FakeAnswer.Text($"Fake model reply to: {LastUserMessage(request)}");

    public Uri BaseUrl { get; }

    private FakeOpenAIServer(WebApplication app, Uri baseUrl)
    {
        _app = app;
        BaseUrl = baseUrl;
    }

    public static async Task<FakeOpenAIServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        FakeOpenAIServer? server = null;
        app.Use(async (http, next) =>
        {
            server!.Calls.Enqueue((http.Request.Method, http.Request.Path,
                http.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase)));
            await next(http);
        });
        app.MapGet("/v1/models", () => TypedResults.Json(new
        {
            @object = "list",
            data = new[] { new { id = "free-model", @object = "model", owned_by = "fake" } },
        }));
        app.MapPost("/v1/chat/completions", async (HttpContext http) =>
        {
            var body = (await JsonNode.ParseAsync(http.Request.Body))!.AsObject();
            server!.Requests.Enqueue(body);
            server.Authorizations.Enqueue(http.Request.Headers.Authorization.ToString());
            var answer = server.Behaviour(body);
            if (body["stream"]?.GetValue<bool>() == true && answer.Status == StatusCodes.Status200OK)
            {
                // The client hanging up shows as the request being aborted or as a write failing (then Kestrel may
                // never abort the request, which has ended): either way it is recorded once, when first seen.
                var seen = 0;
                void HungUp()
                {
                    if (Interlocked.Exchange(ref seen, 1) == 0)
                    {
                        server.Aborted.Enqueue(DateTimeOffset.UtcNow);
                    }
                }

                using var _ = http.RequestAborted.Register(HungUp);
                try
                {
                    if (answer.Delay > TimeSpan.Zero)
                    {
                        await Task.Delay(answer.Delay, http.RequestAborted);
                    }

                    await StreamAsync(http, body, answer);
                }
                catch (Exception ex) when (ex is OperationCanceledException or IOException)
                {
                    HungUp();
                }

                return;
            }

            if (answer.Delay > TimeSpan.Zero)
            {
                await Task.Delay(answer.Delay, http.RequestAborted);
            }

            if (answer.Status != StatusCodes.Status200OK)
            {
                http.Response.StatusCode = answer.Status;
                await http.Response.WriteAsJsonAsync(new
                {
                    error = new { message = "The fake server was told to fail.", type = "server_error", code = (string?)null },
                });
                return;
            }

            await http.Response.WriteAsJsonAsync(new
            {
                id = $"chatcmpl-{Guid.NewGuid():N}",
                @object = "chat.completion",
                created = DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
                model = body["model"]?.GetValue<string>(),
                choices = new[]
                {
                    new { index = 0, message = new { role = "assistant", content = answer.Content }, finish_reason = "stop" },
                },
                usage = new { prompt_tokens = 12, completion_tokens = 7, total_tokens = 19 },
            });
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server = new FakeOpenAIServer(app, new Uri(address));
        return server;
    }

    /// <summary>Streams as OpenAI does: a role chunk, content chunks, a finish chunk, a usage chunk if asked, [DONE].</summary>
    private static async Task StreamAsync(HttpContext http, JsonObject request, FakeAnswer answer)
    {
        http.Response.ContentType = "text/event-stream";
        var id = $"chatcmpl-{Guid.NewGuid():N}";
        var model = request["model"]?.GetValue<string>();
        var created = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        async Task Send(object chunk)
        {
            await http.Response.WriteAsync($"data: {JsonSerializer.Serialize(chunk)}\n\n", http.RequestAborted);
            await http.Response.Body.FlushAsync(http.RequestAborted);
        }

        object Chunk(object delta, string? finish) => new
        {
            id, @object = "chat.completion.chunk", created, model,
            choices = new[] { new { index = 0, delta, finish_reason = finish } },
        };

        await Send(Chunk(new { role = "assistant", content = "" }, null));
        var index = 0;
        foreach (var word in System.Text.RegularExpressions.Regex.Split(answer.Content, @"(?<=\s)"))
        {
            if (answer.BeforeChunk is { } before)
            {
                await before(index).WaitAsync(http.RequestAborted);
            }

            index++;
            if (answer.ChunkDelay > TimeSpan.Zero)
            {
                await Task.Delay(answer.ChunkDelay, http.RequestAborted);
            }

            await Send(Chunk(new { content = word }, null));
        }

        if (answer.InBandError)
        {
            // What OpenAI-compatible servers do when generation fails mid-stream: an error object, no finish reason.
            await Send(new { error = new { message = "The server had an error while processing your request.", type = "server_error", code = (string?)null } });
            await http.Response.WriteAsync("data: [DONE]\n\n", http.RequestAborted);
            return;
        }

        if (!answer.OmitFinish)
        {
            await Send(Chunk(new { }, "stop"));
        }

        if (request["stream_options"]?["include_usage"]?.GetValue<bool>() == true && !answer.OmitUsage)
        {
            await Send(new { id, @object = "chat.completion.chunk", created, model, choices = Array.Empty<object>(),
                usage = new { prompt_tokens = 12, completion_tokens = 7, total_tokens = 19 } });
        }

        await http.Response.WriteAsync("data: [DONE]\n\n", http.RequestAborted);
    }

    public static string LastUserMessage(JsonObject request) =>
        Text(request["messages"]!.AsArray().Last(m => m!["role"]!.GetValue<string>() == "user")!);

    /// <summary>A request message's text, whether its content is a string or a list of parts.</summary>
    public static string Text(JsonNode message) => message["content"] switch
    {
        JsonValue v => v.GetValue<string>(),
        JsonArray parts => string.Concat(parts.Select(p => p!["text"]?.GetValue<string>())),
        _ => "",
    };

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

public sealed record FakeAnswer(int Status, string Content, TimeSpan Delay)
{
    /// <summary>Pause before each streamed content chunk.</summary>
    public TimeSpan ChunkDelay { get; init; }

    /// <summary>Awaited before content chunk <c>i</c> (0-based) is sent: lets a test hold the model mid-reply.</summary>
    public Func<int, Task>? BeforeChunk { get; init; }

    /// <summary>End the stream without a finish reason (a cut-off reply).</summary>
    public bool OmitFinish { get; init; }

    /// <summary>After the content, send an in-band error object instead of a finish chunk.</summary>
    public bool InBandError { get; init; }

    /// <summary>Send no usage chunk even when asked, as some self-hosted servers do: Parley meters its own estimate.</summary>
    public bool OmitUsage { get; init; }

    public static FakeAnswer Text(string content) => new(200, content, TimeSpan.Zero);
    public static FakeAnswer Error(int status) => new(status, "", TimeSpan.Zero);
    public static FakeAnswer Hang(TimeSpan delay) => new(200, "too late", delay);
}
