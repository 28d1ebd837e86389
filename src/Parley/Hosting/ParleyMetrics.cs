using System.Diagnostics.Metrics;

namespace Parley.Hosting;

/// <summary>
/// Parley's own metrics (meter "Parley"), exported with OpenTelemetry when it is configured (see
/// <see cref="Telemetry"/>); docs/operations.md lists them. Without an exporter they cost next to nothing.
/// </summary>
public sealed class ParleyMetrics
{
    public const string MeterName = "Parley";

    private readonly Meter _meter;
    private readonly Counter<long> _sent;
    private readonly Counter<long> _refused;
    private readonly Histogram<double> _firstToken;
    private readonly Counter<long> _modelErrors;
    private readonly Counter<long> _interrupted;
    private readonly Counter<long> _webhooks;
    private int _observingActive;

    public ParleyMetrics(IMeterFactory meters)
    {
        _meter = meters.Create(MeterName);
        _sent = _meter.CreateCounter<long>("parley.messages.sent", "{message}", "Messages taken from a quota (sends, regenerations, edits), by plan.");
        _refused = _meter.CreateCounter<long>("parley.quota.refusals", "{message}", "Sends refused because the plan's limit was reached, by plan.");
        _firstToken = _meter.CreateHistogram<double>("parley.reply.time_to_first_token", "s", "From calling the model to its first text, by plan.");
        _modelErrors = _meter.CreateCounter<long>("parley.model.errors", "{reply}", "Replies the model failed (error or timeout), by plan.");
        _interrupted = _meter.CreateCounter<long>("parley.replies.interrupted", "{reply}", "Replies closed as interrupted, by cause (shutdown, lease).");
        _webhooks = _meter.CreateCounter<long>("parley.webhooks", "{event}", "Stripe webhook deliveries, by outcome.");
    }

    public void Sent(string plan) => _sent.Add(1, new KeyValuePair<string, object?>("plan", plan));

    public void Refused(string plan) => _refused.Add(1, new KeyValuePair<string, object?>("plan", plan));

    public void FirstToken(string plan, TimeSpan elapsed) => _firstToken.Record(elapsed.TotalSeconds, new KeyValuePair<string, object?>("plan", plan));

    public void ModelError(string plan) => _modelErrors.Add(1, new KeyValuePair<string, object?>("plan", plan));

    public void Interrupted(string cause, int count = 1) => _interrupted.Add(count, new KeyValuePair<string, object?>("cause", cause));

    public void Webhook(string outcome) => _webhooks.Add(1, new KeyValuePair<string, object?>("outcome", outcome));

    /// <summary>The replies being generated on this instance, read when metrics are collected.</summary>
    public void ObserveActiveReplies(Func<int> count)
    {
        if (Interlocked.Exchange(ref _observingActive, 1) == 0)
        {
            _meter.CreateObservableGauge("parley.replies.active", count, "{reply}", "Replies being generated on this instance.");
        }
    }
}
