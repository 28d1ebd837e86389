using System.Text.Json.Serialization;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Parley.Features.Chats;
using Parley.Features.Usage;

namespace Parley.Web;

public static class ApiSetup
{
    public static IServiceCollection AddParleyApi(this IServiceCollection services)
    {
        services.AddOptions<ApiOptions>().BindConfiguration(ApiOptions.SectionName)
            .ValidateDataAnnotations().ValidateOnStart();
        services.AddValidation();
        services.TryAddSingleton(TimeProvider.System);
        services.ConfigureHttpJsonOptions(o =>
        {
            o.SerializerOptions.Converters.Add(new JsonStringEnumConverter());
            o.SerializerOptions.NumberHandling = JsonNumberHandling.Strict; // numbers are numbers, in the API and its schema
            // A request field the document marks required must be there (not silently 0 or null); optional ones have defaults.
            o.SerializerOptions.RespectRequiredConstructorParameters = true;
        });
        // Malformed JSON reaches the exception handler, which answers with a problem saying what was wrong.
        services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        return services;
    }

    public static IServiceCollection AddParleyChats(this IServiceCollection services)
    {
        services.AddOptions<ChatOptions>().BindConfiguration(ChatOptions.SectionName)
            .ValidateDataAnnotations().ValidateOnStart();
        services.AddScoped<ChatService>();
        services.AddScoped<Branches>();
        services.AddScoped<HistoryPages>();
        services.AddSingleton<ReplyGenerations>();
        services.AddSingleton<HeadStarts>();
        services.AddSingleton<ReplyLeases>();
        services.AddHostedService(sp => sp.GetRequiredService<ReplyLeases>());
        return services;
    }

    public static IServiceCollection AddParleyUsage(this IServiceCollection services)
    {
        services.AddOptions<UsageOptions>().BindConfiguration(UsageOptions.SectionName)
            .ValidateDataAnnotations().ValidateOnStart();
        services.AddScoped<QuotaService>();
        services.AddSingleton<UsageHints>();
        services.AddScoped<Features.Billing.SubscriptionStore>();
        return services;
    }
}
