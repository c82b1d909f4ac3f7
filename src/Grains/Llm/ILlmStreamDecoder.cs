namespace OpenClaw.Grains.Llm;

/// <summary>Turns one provider's server-sent events into <see cref="LlmStreamEvent"/>s; one instance per stream.</summary>
internal interface ILlmStreamDecoder
{
    /// <summary>True once the provider signalled the end of the answer.</summary>
    bool IsCompleted { get; }

    /// <summary>Adds the events to yield for <paramref name="serverSentEvent"/> (often none, sometimes several) to <paramref name="output"/>; throws <see cref="LlmProviderException"/> on an error event or malformed data.</summary>
    void Decode(ServerSentEvent serverSentEvent, List<LlmStreamEvent> output);

    /// <summary>Adds the last events (ending with the completion) when the body ended without an explicit end marker; throws when the answer is incomplete.</summary>
    void CompleteAtEndOfStream(List<LlmStreamEvent> output);
}
