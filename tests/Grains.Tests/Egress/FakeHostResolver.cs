using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using OpenClaw.Grains.Egress;

namespace OpenClaw.Grains.Tests.Egress;

/// <summary>
/// Answers host lookups from a table the test controls (a name may answer differently on each
/// lookup, as a rebinding DNS server would); unknown names fail like a missing DNS record.
/// </summary>
internal sealed class FakeHostResolver : IEgressHostResolver
{
    private readonly ConcurrentDictionary<string, ConcurrentQueue<IPAddress[]>> _answers = new(StringComparer.OrdinalIgnoreCase);

    public ConcurrentQueue<string> Lookups { get; } = new();

    /// <summary>Answers <paramref name="host"/> with <paramref name="addresses"/> (the last answer set repeats).</summary>
    public FakeHostResolver Add(string host, params string[] addresses)
    {
        _answers.GetOrAdd(host, _ => new()).Enqueue(addresses.Select(IPAddress.Parse).ToArray());
        return this;
    }

    public Task<IPAddress[]> ResolveAsync(string host, CancellationToken cancellationToken)
    {
        Lookups.Enqueue(host);
        if (!_answers.TryGetValue(host, out var answers) || answers.IsEmpty)
        {
            throw new SocketException((int)SocketError.HostNotFound);
        }

        if (answers.Count > 1 && answers.TryDequeue(out var next))
        {
            return Task.FromResult(next);
        }

        answers.TryPeek(out var last);
        return Task.FromResult(last!);
    }
}
