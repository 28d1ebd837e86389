using System.ClientModel;
using System.ClientModel.Primitives;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Options;
using OpenAI;
using Parley.Features.Auth;

namespace Parley.Features.Bot;

public static class BotSetup
{
    public static IServiceCollection AddParleyBot(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<BotOptions>().BindConfiguration(BotOptions.SectionName)
            .ValidateDataAnnotations().ValidateOnStart();
        services.AddScoped<ChatBot>();
        services.AddSingleton<ModelCatalog>();
        // Kestrel and the hosted services get the drain window and a little more to finish their own work.
        services.AddOptions<HostOptions>().Configure<IOptions<BotOptions>>((host, bot) =>
            host.ShutdownTimeout = bot.Value.DrainTimeout + TimeSpan.FromSeconds(5));

        // One IChatClient per plan (keyed), so each plan can use its own model; ChatBot picks by the user's plan.
        var openAI = configuration.GetSection($"{BotOptions.SectionName}:OpenAI").Get<OpenAIOptions>() ?? new();
        if (openAI.IsConfigured)
        {
            services.AddSingleton(sp => CreateClient(sp.GetRequiredService<IOptions<BotOptions>>().Value));
            foreach (var plan in new[] { Plan.Free, Plan.Premium })
            {
                services.AddKeyedChatClient(plan, sp =>
                {
                    var o = sp.GetRequiredService<IOptions<BotOptions>>().Value.OpenAI;
                    return sp.GetRequiredService<OpenAIClient>().GetChatClient(o.ModelFor(plan)).AsIChatClient();
                }).UseLogging();
            }

            services.AddSingleton(sp => new ModelClients(sp.GetRequiredService<OpenAIClient>(), sp.GetRequiredService<ILoggerFactory>()));
            services.AddHttpClient(ModelEndpointCheck.HttpClientName);
            services.AddHostedService<ModelEndpointCheck>();
        }
        else
        {
            services.AddSingleton(sp => new BuiltInChatClient(
                sp.GetRequiredService<IOptions<Usage.UsageOptions>>(), sp.GetRequiredService<IOptions<BotOptions>>()));
            foreach (var plan in new[] { Plan.Free, Plan.Premium })
            {
                services.AddKeyedChatClient(plan, sp => sp.GetRequiredService<BuiltInChatClient>());
            }
        }

        return services;
    }

    private static OpenAIClient CreateClient(BotOptions o)
    {
        var http = new HttpClient(new SocketsHttpHandler
        {
            // Stop must reach the model server at once: by default, disposing a half-read response first drains up
            // to 1 MB of it to reuse the connection, and the model keeps generating meanwhile.
            MaxResponseDrainSize = 0,
            ConnectTimeout = o.ConnectTimeout,
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        })
        {
            Timeout = Timeout.InfiniteTimeSpan, // ChatBot applies the first-token and total timeouts
        };
        foreach (var (name, value) in o.OpenAI.Headers)
        {
            http.DefaultRequestHeaders.TryAddWithoutValidation(name, value);
        }

        var clientOptions = new OpenAIClientOptions
        {
            NetworkTimeout = o.Timeout,
            // ChatBot retries once, and only before any text; the SDK's own retries would hide that and add delay.
            RetryPolicy = new ClientRetryPolicy(maxRetries: 0),
            Transport = new HttpClientPipelineTransport(http),
        };
        if (!string.IsNullOrWhiteSpace(o.OpenAI.Endpoint))
        {
            clientOptions.Endpoint = new Uri(o.OpenAI.Endpoint);
        }

        if (o.OpenAI.SendMaxTokens)
        {
            clientOptions.AddPolicy(new LegacyMaxTokensPolicy(), PipelinePosition.PerCall);
        }

        // Local servers (Ollama, llama.cpp) take any key, but the client requires one.
        var key = string.IsNullOrWhiteSpace(o.OpenAI.ApiKey) ? "not-needed" : o.OpenAI.ApiKey;
        return new OpenAIClient(new ApiKeyCredential(key), clientOptions);
    }
}

/// <summary>One client per chosen model (<see cref="BotOptions.Models"/>), made on first use and kept.</summary>
public sealed class ModelClients(OpenAIClient openAI, ILoggerFactory logging)
{
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, IChatClient> _clients = new(StringComparer.Ordinal);

    public IChatClient For(string model) => _clients.GetOrAdd(model, id =>
        openAI.GetChatClient(id).AsIChatClient().AsBuilder().UseLogging(logging).Build());
}
