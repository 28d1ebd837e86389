using System.ComponentModel.DataAnnotations;

namespace Parley.Features.Attachments;

public sealed class AttachmentOptions
{
    public const string SectionName = "Attachments";

    /// <summary>Bytes in one uploaded file, checked while the upload streams in.</summary>
    [Range(1024, 1024L * 1024 * 1024)]
    public long MaxFileBytes { get; set; } = 10 * 1024 * 1024;

    /// <summary>Bytes of all the files attached to one message together.</summary>
    [Range(1024, 4L * 1024 * 1024 * 1024)]
    public long MaxMessageBytes { get; set; } = 25 * 1024 * 1024;

    /// <summary>Files attached to one message.</summary>
    [Range(1, 20)]
    public int MaxPerMessage { get; set; } = 5;

    /// <summary>Bytes a free user may keep stored, over all their files.</summary>
    [Range(0, long.MaxValue)]
    public long FreeStorageBytes { get; set; } = 100L * 1024 * 1024;

    /// <summary>Bytes a Premium user may keep stored.</summary>
    [Range(0, long.MaxValue)]
    public long PremiumStorageBytes { get; set; } = 5L * 1024 * 1024 * 1024;

    /// <summary>Pixels (width × height) of an image, read from its header before decoding: a decompression bomb stops here.</summary>
    [Range(1, 500_000_000)]
    public long MaxImagePixels { get; set; } = 50_000_000;

    /// <summary>Pages of a PDF whose text is read.</summary>
    [Range(1, 100_000)]
    public int MaxPdfPages { get; set; } = 500;

    /// <summary>How long reading one document's text may take before it is refused.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:10:00")]
    public TimeSpan MaxProcessingTime { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>Drafts never sent are removed after this.</summary>
    [Range(typeof(TimeSpan), "00:01:00", "30.00:00:00")]
    public TimeSpan DraftLifetime { get; set; } = TimeSpan.FromHours(24);
}

/// <summary>Where files live: a local folder (one instance), or an S3-compatible bucket (several).</summary>
public sealed class StorageOptions
{
    public const string SectionName = "Storage";

    /// <summary>The folder for files when no bucket is set; relative paths start at the working folder, as DATABASE_URL's.</summary>
    [Required]
    public string Path { get; set; } = "./parley-files";

    /// <summary>An S3-compatible bucket instead of the folder: what several instances need. Unset: the folder.</summary>
    public S3StorageOptions S3 { get; set; } = new();
}

public sealed class S3StorageOptions
{
    /// <summary>The bucket; setting it switches storage to S3. It must exist (Parley does not create buckets).</summary>
    public string? Bucket { get; set; }

    /// <summary>The service's URL for a store other than AWS (MinIO, Ceph, R2, s3rver…); unset for AWS itself.</summary>
    [Url]
    public string? ServiceUrl { get; set; }

    [Required]
    public string Region { get; set; } = "us-east-1";

    /// <summary>Unset: the SDK's usual credentials (environment, profile, instance role).</summary>
    public string? AccessKey { get; set; }

    public string? SecretKey { get; set; }

    /// <summary>Bucket in the path rather than the host name; most self-hosted stores need it. Unset: on with a ServiceUrl.</summary>
    public bool? ForcePathStyle { get; set; }

    /// <summary>Put before every key, to share a bucket: <c>parley/</c>.</summary>
    public string Prefix { get; set; } = "";
}
