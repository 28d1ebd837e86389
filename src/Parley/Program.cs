
using Microsoft.Extensions.Options;
using Parley.Data;
using Parley.Features.Account;
using Parley.Features.Admin;
using Parley.Features.Analytics;
using Parley.Features.Attachments;
using Parley.Features.Auth;
using Parley.Features.Billing;
using Parley.Features.Billing.TestMode;
using Parley.Features.Bot;
using Parley.Features.Chats;
using Parley.Features.Mail;
using Parley.Features.Search;
using Parley.Features.Usage;
using Parley.Hosting;
using Parley.Web;
using Parley.Web.OpenApi;

try
{
    var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = ContentRoot.Choose(args) });
    builder.Configuration.AddSeedSettings(DotEnv.Locate(Directory.GetCurrentDirectory()));

    builder.AddStaticUi();
    builder.AddParleyAuth();
    builder.Services
        .AddParleyData(builder.Configuration)
        .AddParleyBot(builder.Configuration)
        .AddParleyBilling(builder.Configuration, builder.Environment)
        .AddParleyChats()
        .AddParleySearch(builder.Configuration)
        .AddParleyAttachments(builder.Configuration)
        .AddParleyUsage()
        .AddParleyAccount()
        .AddParleyMail(builder.Configuration, builder.Environment)
        .AddParleyAdmin()
        .AddParleyCors(builder.Configuration)
        .AddParleyProxies(builder.Configuration)
        .AddParleyProblemDetails()
        .AddParleyOpenApi()
        .AddParleyApi()
        .AddParleyHealth()
        .AddParleyTelemetry(builder.Configuration)
        .AddHttpLogging(o =>
        {
            // One line per request (method, path, status, time); never bodies or headers, which carry tokens.
            o.LoggingFields = Microsoft.AspNetCore.HttpLogging.HttpLoggingFields.RequestMethod |
                              Microsoft.AspNetCore.HttpLogging.HttpLoggingFields.RequestPath |
                              Microsoft.AspNetCore.HttpLogging.HttpLoggingFields.ResponseStatusCode |
                              Microsoft.AspNetCore.HttpLogging.HttpLoggingFields.Duration;
            o.CombineLogs = true;
        });

    var app = builder.Build();
    if (AdminCommands.IsCommand(args))
    {
        return await AdminCommands.RunAsync(app.Services, args);
    }

    app.UseParleyProxies();
    app.UseHttpLogging();
    app.UseExceptionHandler();
    app.UseStatusCodePages();
    app.UseSecurityHeaders();
    app.UseNoStoreForApi();
    app.UseRequestSizeLimit();
    app.UseStaticUi();
    app.UseCors(CorsSetup.PolicyName);
    app.UseAuthentication();
    app.UseAuthorization();
    app.UseApiContentTypes();
    app.UseRateLimiter();

    app.MapOpenApi();
    app.MapParleyHealth();
    app.MapParleyTelemetry();
    app.MapAuth();
    app.MapAccount();
    app.MapChats();
    app.MapModels();
    app.MapAdmin();
    app.MapAnalytics();
    app.MapSearch();
    app.MapAttachments();
    app.MapUsage();
    app.MapBilling();
    app.MapBillingTestMode();
    app.MapStaticUiFallback();

    await app.RunAsync();
    return 0;
}
catch (Exception ex) when (ex is SettingsException or OptionsValidationException)
{
    // A setting the operator must fix: say which, without a stack trace.
    await Console.Error.WriteLineAsync($"Parley cannot start: {ex.Message}");
    return 1;
}

public partial class Program;
