namespace OpenClaw.Grains.Llm;

/// <summary>Finds a provider by name.</summary>
public interface ILlmProviderRegistry
{
    /// <summary>The provider called <paramref name="providerName"/> (case-insensitive); throws <see cref="LlmProviderException"/> when unknown.</summary>
    ILlmProvider Get(string providerName);
}
