using Amazon.Runtime;
using Amazon.S3;

namespace Parley.Tests.Infrastructure;

/// <summary>
/// The S3-compatible server test.sh starts (PARLEY_TEST_S3, s3rver). Its absence is a failure, never a skip: the
/// attachment tests on S3 are part of the suite.
/// </summary>
public static class S3Server
{
    public const string Variable = "PARLEY_TEST_S3";

    /// <summary>s3rver's fixed credentials.</summary>
    public const string Key = "S3RVER";

    public static string Url => Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } value
        ? value
        : throw new InvalidOperationException(
            $"{Variable} is not set. Run ./test.sh, which starts a throwaway S3-compatible server, or point {Variable} at one.");

    /// <summary>A new bucket for one factory, so no test sees another's files.</summary>
    public static async Task<string> CreateBucketAsync()
    {
        var bucket = $"parley-test-{Guid.NewGuid():N}";
        using var client = new AmazonS3Client(new BasicAWSCredentials(Key, Key), new AmazonS3Config { ServiceURL = Url, ForcePathStyle = true, AuthenticationRegion = "us-east-1" });
        await client.PutBucketAsync(bucket);
        return bucket;
    }

    /// <summary>The settings that point Parley at <paramref name="bucket"/> on this server.</summary>
    public static void Configure(Dictionary<string, string?> settings, string bucket)
    {
        settings["Storage:S3:Bucket"] = bucket;
        settings["Storage:S3:ServiceUrl"] = Url;
        settings["Storage:S3:AccessKey"] = Key;
        settings["Storage:S3:SecretKey"] = Key;
    }
}
