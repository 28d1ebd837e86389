namespace Parley.Features.Attachments;

public static class AttachmentSetup
{
    public static IServiceCollection AddParleyAttachments(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<AttachmentOptions>().BindConfiguration(AttachmentOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<StorageOptions>().BindConfiguration(StorageOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        if (string.IsNullOrEmpty(configuration[$"{StorageOptions.SectionName}:S3:Bucket"]))
        {
            services.AddSingleton<IFileStore, LocalFileStore>();
        }
        else
        {
            services.AddSingleton<IFileStore, S3FileStore>();
        }

        services.AddSingleton<ImageProcessor>();
        services.AddSingleton<DocumentText>();
        services.AddSingleton<AttachmentUrls>();
        services.AddScoped<AttachmentService>();
        services.AddScoped<AttachmentMessages>();
        services.AddSingleton<AttachmentSweeper>();
        services.AddHostedService(sp => sp.GetRequiredService<AttachmentSweeper>());
        return services;
    }
}
