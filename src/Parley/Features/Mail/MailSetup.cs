using Microsoft.Extensions.Options;

namespace Parley.Features.Mail;

public static class MailSetup
{
    public static IServiceCollection AddParleyMail(this IServiceCollection services, IConfiguration configuration, IHostEnvironment environment)
    {
        services.AddOptions<MailOptions>().BindConfiguration(MailOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        var options = configuration.GetSection(MailOptions.SectionName).Get<MailOptions>() ?? new MailOptions();
        var server = SmtpServer.From(options);
        var pickup = options.PickupDirectory ?? (environment.IsDevelopment() ? "./parley-mail" : null);
        var mode = server is not null ? MailMode.Smtp : pickup is not null ? MailMode.Pickup : MailMode.NotConfigured;
        services.AddSingleton(sp => new Mailer(mode, sp.GetRequiredService<IOptions<MailOptions>>()));
        switch (mode)
        {
            case MailMode.Smtp:
                services.AddSingleton<IMailTransport>(sp => new SmtpTransport(server!, sp.GetRequiredService<IOptions<MailOptions>>()));
                break;
            case MailMode.Pickup:
                services.AddSingleton<IMailTransport>(sp => new PickupTransport(
                    Path.GetFullPath(pickup!, environment.ContentRootPath), sp.GetRequiredService<ILogger<PickupTransport>>()));
                break;
        }

        if (mode != MailMode.NotConfigured)
        {
            services.AddHostedService<MailDelivery>();
        }

        return services;
    }
}
