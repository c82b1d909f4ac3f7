using System.Collections.Concurrent;
using OpenClaw.Grains.Llm;

namespace OpenClaw.Grains.Diagnostics;

/// <summary>The provider registry the grains use: the registered providers, each wrapped in an <see cref="InstrumentedLlmProvider"/>.</summary>
internal sealed class InstrumentedLlmProviderRegistry(LlmProviderRegistry inner, GrainsInstruments instruments) : ILlmProviderRegistry
{
    private readonly ConcurrentDictionary<ILlmProvider, InstrumentedLlmProvider> _wrapped = new(ReferenceEqualityComparer.Instance);

    public ILlmProvider Get(string providerName)
    {
        var provider = inner.Get(providerName);
        return _wrapped.GetOrAdd(provider, static (p, i) => new InstrumentedLlmProvider(p, i), instruments);
    }
}
