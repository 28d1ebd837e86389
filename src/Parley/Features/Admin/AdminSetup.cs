namespace Parley.Features.Admin;

public static class AdminSetup
{
    public static IServiceCollection AddParleyAdmin(this IServiceCollection services)
    {
        services.AddOptions<AdminOptions>().BindConfiguration(AdminOptions.SectionName);
        services.AddScoped<AdminAccess>();
        return services;
    }
}
