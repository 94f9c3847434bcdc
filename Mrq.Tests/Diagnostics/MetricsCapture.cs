using System.Diagnostics.Metrics;

namespace Mrq.Tests.Diagnostics;

/// <summary>One measurement: instrument name and unit, value and tags.</summary>
internal sealed record CapturedMeasurement(string Name, string? Unit, double Value, IReadOnlyDictionary<string, object?> Tags)
{
    public object? Tag(string key) => Tags.GetValueOrDefault(key);
}

/// <summary>Records every measurement of one <see cref="Meter"/> instance (not others of the same name in the process).</summary>
internal sealed class MetricsCapture : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly List<CapturedMeasurement> _measurements = [];
    private readonly Lock _gate = new();

    public MetricsCapture(Meter meter)
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (ReferenceEquals(instrument.Meter, meter))
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((i, v, tags, _) => Add(i, v, tags));
        _listener.SetMeasurementEventCallback<double>((i, v, tags, _) => Add(i, v, tags));
        _listener.Start();
    }

    /// <summary>The measurements of <paramref name="name"/> so far.</summary>
    public CapturedMeasurement[] Of(string name)
    {
        lock (_gate)
        {
            return _measurements.Where(m => m.Name == name).ToArray();
        }
    }

    /// <summary>Collects the observable instruments (the gauge) now.</summary>
    public void Collect() => _listener.RecordObservableInstruments();

    public void Dispose() => _listener.Dispose();

    private void Add(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var captured = new CapturedMeasurement(instrument.Name, instrument.Unit, value, tags.ToArray().ToDictionary(t => t.Key, t => t.Value));
        lock (_gate)
        {
            _measurements.Add(captured);
        }
    }
}
