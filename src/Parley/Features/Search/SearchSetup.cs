using Parley.Data;

namespace Parley.Features.Search;

public static class SearchSetup
{
    public static IServiceCollection AddParleySearch(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<SearchOptions>().BindConfiguration(SearchOptions.SectionName)
            .ValidateDataAnnotations().ValidateOnStart();
        var url = DatabaseUrl.From(configuration);
        if (url.Provider == DatabaseProvider.Postgres)
        {
            services.AddScoped<IMessageSearch, PostgresMessageSearch>();
            services.AddHostedService<PostgresSearchLanguage>(); // after the migrator: registered after AddParleyData
        }
        else
        {
            services.AddScoped<IMessageSearch, SqliteMessageSearch>();
            services.AddHostedService<SqliteSearchIndex>();
        }

        return services;
    }
}
