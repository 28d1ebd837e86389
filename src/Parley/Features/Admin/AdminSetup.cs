namespace Parley.Features.Admin;

public static class AdminSetup
{
    public static IServiceCollection AddParleyAdmin(this IServiceCollection services)
    {
        services.AddOptions<AdminOptions>().BindConfiguration(AdminOptions.SectionName)
            .ValidateOnStart();
        services.AddSingleton<Microsoft.Extensions.Options.IValidateOptions<AdminOptions>, AdminOptionsValidation>();
        services.AddSingleton<Analytics.AnalyticsRecorder>();
        services.AddScoped<Analytics.AdminDashboard>();
        services.AddSingleton<Analytics.AnalyticsRollups>();
        services.AddHostedService(sp => sp.GetRequiredService<Analytics.AnalyticsRollups>());
        services.AddScoped<AdminAccess>();
        return services;
    }
}

/// <summary>A time zone or price list that can't be read stops the start, saying which and why.</summary>
internal sealed class AdminOptionsValidation : Microsoft.Extensions.Options.IValidateOptions<AdminOptions>
{
    public Microsoft.Extensions.Options.ValidateOptionsResult Validate(string? name, AdminOptions options) =>
        options.Problem() is { } problem
            ? Microsoft.Extensions.Options.ValidateOptionsResult.Fail(problem)
            : Microsoft.Extensions.Options.ValidateOptionsResult.Success;
}
