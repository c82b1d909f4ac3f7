using System.Collections.Concurrent;

namespace OpenClaw.EdgeGateway.Diagnostics;

/// <summary>
/// Keeps a metric label's value set bounded whatever the input: the first <see cref="Capacity"/>
/// distinct values pass, later new ones become <see cref="Other"/>. For labels whose values are our
/// own constants (failure codes) but that we want guaranteed bounded anyway.
/// </summary>
internal sealed class BoundedLabels(int capacity)
{
    public const string Other = "other";

    private readonly ConcurrentDictionary<string, string> _seen = new(StringComparer.Ordinal);

    public int Capacity { get; } = capacity;

    public string Of(string value)
    {
        if (_seen.TryGetValue(value, out var known)) return known;
        if (_seen.Count >= Capacity) return Other;
        return _seen.GetOrAdd(value, value);
    }
}
