using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.Extensions.Options;
using Parley.Features.Auth;

namespace Parley.Features.Bot;

/// <summary>
/// At start-up, asks the configured endpoint for its models and logs a clear warning when it cannot be reached or
/// does not list the configured models. It never stops start-up: the model server may come up later.
/// </summary>
internal sealed class ModelEndpointCheck(IHttpClientFactory http, IOptions<BotOptions> options, ILogger<ModelEndpointCheck> logger)
    : BackgroundService
{
    public const string HttpClientName = "model-endpoint-check";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var o = options.Value.OpenAI;
        var endpoint = (string.IsNullOrWhiteSpace(o.Endpoint) ? "https://api.openai.com/v1" : o.Endpoint).TrimEnd('/');
        using var client = http.CreateClient(HttpClientName);
        client.Timeout = TimeSpan.FromSeconds(10);
        using var request = new HttpRequestMessage(HttpMethod.Get, $"{endpoint}/models");
        if (!string.IsNullOrWhiteSpace(o.ApiKey))
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", o.ApiKey);
        }

        foreach (var (name, value) in o.Headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        try
        {
            using var response = await client.SendAsync(request, stoppingToken);
            if (!response.IsSuccessStatusCode)
            {
                logger.LogWarning("The model endpoint {Endpoint} answered {Status} to GET /models: check OPENAI_API_KEY and OPENAI_BASE_URL",
                    endpoint, (int)response.StatusCode);
                return;
            }

            using var body = await JsonDocument.ParseAsync(await response.Content.ReadAsStreamAsync(stoppingToken), cancellationToken: stoppingToken);
            var listed = body.RootElement.TryGetProperty("data", out var data)
                ? data.EnumerateArray().Select(m => m.TryGetProperty("id", out var id) ? id.GetString() : null).ToHashSet()
                : [];
            foreach (var model in new[] { o.ModelFor(Plan.Free), o.ModelFor(Plan.Premium) }.Distinct())
            {
                if (!listed.Contains(model))
                {
                    logger.LogWarning("The model endpoint {Endpoint} does not list the model {Model}; replies may fail", endpoint, model);
                }
            }

            logger.LogInformation("The model endpoint {Endpoint} is reachable", endpoint);
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or JsonException)
        {
            logger.LogWarning("The model endpoint {Endpoint} cannot be reached ({Error}); replies will fail until it can",
                endpoint, ex.Message);
        }
    }
}
