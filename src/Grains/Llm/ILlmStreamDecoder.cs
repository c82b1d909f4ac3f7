namespace OpenClaw.Grains.Llm;

/// <summary>Turns one provider's server-sent events into <see cref="LlmStreamEvent"/>s; one instance per stream.</summary>
internal interface ILlmStreamDecoder
{
    /// <summary>True once the provider signalled the end of the answer.</summary>
    bool IsCompleted { get; }

    /// <summary>The event to yield for <paramref name="serverSentEvent"/>, if any; throws <see cref="LlmProviderException"/> on an error event or malformed data.</summary>
    LlmStreamEvent? Decode(ServerSentEvent serverSentEvent);

    /// <summary>The completion when the body ended without an explicit end marker; throws when the answer is incomplete.</summary>
    LlmCompleted CompleteAtEndOfStream();
}
