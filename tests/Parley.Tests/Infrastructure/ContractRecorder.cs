using System.Collections.Concurrent;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;

namespace Parley.Tests.Infrastructure;

/// <summary>
/// Checks every API response an app under test gives against the committed OpenAPI document, so the document
/// cannot drift from what the server does. Problems are collected, and the factory fails when it is disposed
/// (a test class's clean-up failure names each one).
/// </summary>
public sealed class ContractRecorder(ApiContract contract) : IStartupFilter
{
    private const int MaxCaptured = 1 << 20;

    public ConcurrentQueue<string> Violations { get; } = new();

    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.Use(async (context, nextMiddleware) =>
        {
            if (!context.Request.Path.StartsWithSegments("/api"))
            {
                await nextMiddleware(context);
                return;
            }

            var original = context.Response.Body;
            using var copy = new MemoryStream();
            context.Response.Body = new TeeStream(original, copy, MaxCaptured);
            try
            {
                await nextMiddleware(context);
            }
            finally
            {
                context.Response.Body = original;
            }

            if (context.Response.StatusCode == StatusCodes.Status500InternalServerError)
            {
                // Documented (any operation can fail), but never expected: in the suite a 500 is a bug.
                Violations.Enqueue($"{context.Request.Method} {context.Request.Path} answered 500: {Encoding.UTF8.GetString(copy.ToArray())}");
            }

            foreach (var violation in contract.Check(context.Request.Method, context.Request.Path.Value!,
                context.Response.StatusCode, context.Response.ContentType, copy.ToArray()))
            {
                Violations.Enqueue(violation);
            }
        });
        next(app);
    };

    /// <summary>Writes through at once (streams must still stream) and keeps a copy of the first bytes.</summary>
    private sealed class TeeStream(Stream inner, MemoryStream copy, int max) : Stream
    {
        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override void Write(byte[] buffer, int offset, int count) => WriteAsync(buffer, offset, count).GetAwaiter().GetResult();

        public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            Keep(buffer.Span);
            await inner.WriteAsync(buffer, cancellationToken);
        }

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override void Flush() => inner.Flush();

        public override Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        private void Keep(ReadOnlySpan<byte> bytes)
        {
            lock (copy)
            {
                if (copy.Length < max)
                {
                    copy.Write(bytes[..Math.Min(bytes.Length, max - (int)copy.Length)]);
                }
            }
        }
    }
}
