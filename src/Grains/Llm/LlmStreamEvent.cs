namespace OpenClaw.Grains.Llm;

/// <summary>
/// What a provider's stream yields: any number of <see cref="LlmTextDelta"/>, then exactly one
/// <see cref="LlmCompleted"/> when the stream succeeded. A failed stream throws
/// <see cref="LlmProviderException"/> instead of completing.
/// </summary>
public abstract record LlmStreamEvent;

/// <summary>A piece of the assistant's answer, in order.</summary>
public sealed record LlmTextDelta(string Text) : LlmStreamEvent;

/// <summary>The last event of a successful stream: why the model stopped and what it used.</summary>
public sealed record LlmCompleted(string StopReason, LlmUsage Usage) : LlmStreamEvent;
