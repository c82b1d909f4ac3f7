using OpenClaw.Runtime;

namespace OpenClaw.Grains.Interfaces;

/// <summary>
/// A grain that does nothing but answer, for operators and tests: where does a key live, is the
/// path to it working, how fast is a call. Keyed by any string; holds no state.
/// </summary>
public interface IClusterProbeGrain : IGrainWithStringKey
{
    /// <summary>The silo (<c>host:port@generation</c>, or <c>local</c> for a single silo) and the activation that answered.</summary>
    Task<string> Where();

    /// <summary>Returns <paramref name="value"/>: the cheapest possible call.</summary>
    Task<int> Echo(int value);
}
