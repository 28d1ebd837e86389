using System.Net;
using Stripe;

namespace Parley.Features.Billing;

/// <summary>Stripe could not be used right now (down, slow, rate-limiting); say so and when to try again.</summary>
public sealed class StripeUnavailableException(string message, TimeSpan retryAfter, Exception? inner = null) : Exception(message, inner)
{
    public TimeSpan RetryAfter { get; } = retryAfter;
}

/// <summary>
/// How Parley calls Stripe on a user's behalf: the whole operation (several requests) gives up after
/// <see cref="BillingOptions.RequestTimeout"/>; a 429 is retried once after a short pause; a network error, a timeout,
/// or a 5xx after Stripe.net's own retries becomes <see cref="StripeUnavailableException"/>. Errors about the request
/// itself (a missing customer, a bad price) stay <see cref="StripeException"/> for the caller to handle.
/// </summary>
public static class StripeCalls
{
    private static readonly TimeSpan RateLimitPause = TimeSpan.FromMilliseconds(500);

    [System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1068", Justification = "The operation reads best as a trailing lambda.")]
    public static async Task<T> RunAsync<T>(TimeSpan budget, CancellationToken requestAborted, Func<CancellationToken, Task<T>> call)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(requestAborted);
        timeout.CancelAfter(budget);
        try
        {
            return await call(timeout.Token);
        }
        catch (OperationCanceledException ex) when (!requestAborted.IsCancellationRequested)
        {
            throw new StripeUnavailableException($"Stripe did not answer within {budget.TotalSeconds:0} s.", TimeSpan.FromSeconds(30), ex);
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException or TimeoutException)
        {
            throw new StripeUnavailableException("Stripe could not be reached.", TimeSpan.FromSeconds(30), ex);
        }
        catch (StripeException ex) when (IsUnavailable(ex))
        {
            var after = ex.HttpStatusCode == HttpStatusCode.TooManyRequests ? TimeSpan.FromSeconds(10) : TimeSpan.FromSeconds(30);
            throw new StripeUnavailableException($"Stripe answered {(int)ex.HttpStatusCode}: {ex.Message}", after, ex);
        }
    }

    /// <summary>One Stripe request, retried once after a short pause if Stripe says it is rate-limiting us.</summary>
    public static async Task<T> WithRateLimitRetryAsync<T>(Func<Task<T>> request, CancellationToken ct)
    {
        try
        {
            return await request();
        }
        catch (StripeException ex) when (ex.HttpStatusCode == HttpStatusCode.TooManyRequests)
        {
            await Task.Delay(RateLimitPause, ct);
            return await request();
        }
    }

    /// <summary>Stripe does not know this object (deleted, or made with another key or in test mode).</summary>
    public static bool IsMissing(StripeException ex, string? param = null) =>
        ex.StripeError?.Code == "resource_missing" && (param is null || ex.StripeError.Param == param);

    // A StripeException without an HTTP status is Stripe.net giving up on the connection.
    private static bool IsUnavailable(StripeException ex) =>
        ex.HttpStatusCode is HttpStatusCode.TooManyRequests || (int)ex.HttpStatusCode >= 500 || (int)ex.HttpStatusCode == 0;
}
