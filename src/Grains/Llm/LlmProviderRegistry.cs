namespace OpenClaw.Grains.Llm;

/// <summary>
/// The registered <see cref="ILlmProvider"/>s by name (case-insensitive). When two providers
/// share a name the one registered last wins, so a host can replace a built-in provider.
/// </summary>
internal sealed class LlmProviderRegistry : ILlmProviderRegistry
{
    private readonly Dictionary<string, ILlmProvider> _providers = new(StringComparer.OrdinalIgnoreCase);

    public LlmProviderRegistry(IEnumerable<ILlmProvider> providers)
    {
        ArgumentNullException.ThrowIfNull(providers);
        foreach (var provider in providers)
        {
            _providers[provider.Name] = provider;
        }
    }

    public ILlmProvider Get(string providerName)
    {
        if (!string.IsNullOrWhiteSpace(providerName) && _providers.TryGetValue(providerName.Trim(), out var provider))
        {
            return provider;
        }

        var known = string.Join(", ", _providers.Keys.Order(StringComparer.Ordinal));
        throw new LlmProviderException($"Unknown LLM provider '{providerName}'; known providers: {known}.");
    }
}
