namespace OpenClaw.Grains.Llm;

/// <summary>A client of one LLM provider's streaming chat API.</summary>
public interface ILlmProvider
{
    /// <summary>The name tenants' configs use to pick this provider (lower case).</summary>
    string Name { get; }

    /// <summary>
    /// Streams the answer. Throws <see cref="LlmProviderException"/> on any provider failure and
    /// <see cref="OperationCanceledException"/> when <paramref name="cancellationToken"/> fires,
    /// which also closes the underlying HTTP stream.
    /// </summary>
    IAsyncEnumerable<LlmStreamEvent> StreamAsync(LlmRequest request, LlmEndpoint endpoint, CancellationToken cancellationToken);
}
