using System.Net;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using Microsoft.Extensions.Options;

namespace Parley.Features.Attachments;

/// <summary>
/// Any S3-compatible bucket (<c>Storage__S3__*</c>), shared by every instance. A put is one request, so a key has its
/// whole file or none. Checksums are sent only where the protocol requires them: the SDK's newer default trailers
/// are not understood by every S3-compatible server.
/// </summary>
internal sealed class S3FileStore : IFileStore, IDisposable
{
    private readonly AmazonS3Client _client;
    private readonly string _bucket;
    private readonly string _prefix;

    public S3FileStore(IOptions<StorageOptions> options)
    {
        var s3 = options.Value.S3;
        _bucket = s3.Bucket!;
        _prefix = s3.Prefix;
        var config = new AmazonS3Config
        {
            ForcePathStyle = s3.ForcePathStyle ?? s3.ServiceUrl is not null,
            RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED,
            ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED,
            Timeout = TimeSpan.FromSeconds(30),
            MaxErrorRetry = 2,
        };
        if (s3.ServiceUrl is { } url)
        {
            config.ServiceURL = url;
            config.AuthenticationRegion = s3.Region;
        }
        else
        {
            config.RegionEndpoint = Amazon.RegionEndpoint.GetBySystemName(s3.Region);
        }

        _client = s3.AccessKey is { } key ? new AmazonS3Client(new BasicAWSCredentials(key, s3.SecretKey), config) : new AmazonS3Client(config);
    }

    public async Task PutAsync(string key, Stream content, string contentType, CancellationToken ct)
    {
        try
        {
            await _client.PutObjectAsync(new PutObjectRequest
            {
                BucketName = _bucket, Key = _prefix + key, InputStream = content, ContentType = contentType, AutoCloseStream = false,
                UseChunkEncoding = false,
            }, ct);
        }
        catch (Exception ex) when (Unreachable(ex, ct))
        {
            throw new FileStoreUnavailableException("The file could not be written to the bucket.", ex);
        }
    }

    public async Task<Stream?> OpenReadAsync(string key, CancellationToken ct)
    {
        try
        {
            var response = await _client.GetObjectAsync(_bucket, _prefix + key, ct);
            return new OwnedStream(response);
        }
        catch (AmazonS3Exception ex) when (ex.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
        catch (Exception ex) when (Unreachable(ex, ct))
        {
            throw new FileStoreUnavailableException("The file could not be read from the bucket.", ex);
        }
    }

    public async Task DeleteAsync(string key, CancellationToken ct)
    {
        try
        {
            await _client.DeleteObjectAsync(_bucket, _prefix + key, ct); // a key with no object is not an error in S3
        }
        catch (Exception ex) when (Unreachable(ex, ct))
        {
            throw new FileStoreUnavailableException("The file could not be deleted from the bucket.", ex);
        }
    }

    public void Dispose() => _client.Dispose();

    // The service answering with an error, the network failing, or the SDK's own timeout (not the caller cancelling).
    private static bool Unreachable(Exception ex, CancellationToken ct) =>
        ex is AmazonServiceException or HttpRequestException or IOException || (ex is TaskCanceledException && !ct.IsCancellationRequested);

    /// <summary>The object's body, releasing the response (and its connection) with it.</summary>
    private sealed class OwnedStream(GetObjectResponse response) : Stream
    {
        private readonly Stream _inner = response.ResponseStream;

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => response.ContentLength;
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override int Read(byte[] buffer, int offset, int count) => _inner.Read(buffer, offset, count);
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => _inner.ReadAsync(buffer, cancellationToken);
        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) => _inner.ReadAsync(buffer, offset, count, cancellationToken);
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                response.Dispose();
            }

            base.Dispose(disposing);
        }
    }
}
