namespace Parley.Features.Attachments;

public static class AttachmentSetup
{
    public static IServiceCollection AddParleyAttachments(this IServiceCollection services)
    {
        services.AddOptions<AttachmentOptions>().BindConfiguration(AttachmentOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<StorageOptions>().BindConfiguration(StorageOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<IFileStore, LocalFileStore>();
        services.AddSingleton<ImageProcessor>();
        services.AddSingleton<DocumentText>();
        services.AddSingleton<AttachmentUrls>();
        services.AddScoped<AttachmentService>();
        services.AddSingleton<AttachmentSweeper>();
        services.AddHostedService(sp => sp.GetRequiredService<AttachmentSweeper>());
        return services;
    }
}
