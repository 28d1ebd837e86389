namespace Parley.Features.Account;

public static class AccountSetup
{
    public static IServiceCollection AddParleyAccount(this IServiceCollection services)
    {
        services.AddScoped<Sessions>();
        services.AddScoped<PersonalInstructions>();
        services.AddScoped<AccountDeletion>();
        services.AddScoped<Billing.SubscriptionCancellation>();
        services.AddScoped<ExportWriter>();
        services.AddSingleton<DataExports>();
        services.AddHostedService(sp => sp.GetRequiredService<DataExports>());
        return services;
    }
}
