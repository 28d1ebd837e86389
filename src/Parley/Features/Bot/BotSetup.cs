using System.ClientModel;
using System.ClientModel.Primitives;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Options;
using OpenAI;

namespace Parley.Features.Bot;

public static class BotSetup
{
    public static IServiceCollection AddParleyBot(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<BotOptions>().BindConfiguration(BotOptions.SectionName)
            .ValidateDataAnnotations().ValidateOnStart();
        services.AddScoped<ChatBot>();

        var openAI = configuration.GetSection($"{BotOptions.SectionName}:OpenAI").Get<OpenAIOptions>() ?? new();
        if (openAI.IsConfigured)
        {
            services.AddChatClient(sp =>
            {
                var o = sp.GetRequiredService<IOptions<BotOptions>>().Value;
                var clientOptions = new OpenAIClientOptions
                {
                    NetworkTimeout = o.Timeout,
                    // A failed reply is shown with a retry button and refunded; hidden retries would only delay that.
                    RetryPolicy = new ClientRetryPolicy(maxRetries: 0),
                    // Stop must reach the model server at once: with the default, disposing a half-read response
                    // first drains up to 1 MB of it to reuse the connection, and the model keeps generating meanwhile.
                    Transport = new HttpClientPipelineTransport(new HttpClient(new SocketsHttpHandler
                    {
                        MaxResponseDrainSize = 0,
                        ConnectTimeout = TimeSpan.FromSeconds(10),
                        PooledConnectionLifetime = TimeSpan.FromMinutes(5),
                    })),
                };
                if (!string.IsNullOrWhiteSpace(o.OpenAI.Endpoint))
                {
                    clientOptions.Endpoint = new Uri(o.OpenAI.Endpoint);
                }

                // Local servers (Ollama, llama.cpp) take any key, but the client requires one.
                var key = string.IsNullOrWhiteSpace(o.OpenAI.ApiKey) ? "not-needed" : o.OpenAI.ApiKey;
                return new OpenAIClient(new ApiKeyCredential(key), clientOptions)
                    .GetChatClient(o.OpenAI.Model)
                    .AsIChatClient();
            }).UseLogging();
        }
        else
        {
            services.AddChatClient(sp => new BuiltInChatClient(
                sp.GetRequiredService<IOptions<Usage.UsageOptions>>(), sp.GetRequiredService<IOptions<BotOptions>>()));
        }

        return services;
    }
}
