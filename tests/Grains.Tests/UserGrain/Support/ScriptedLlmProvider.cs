using System.Runtime.CompilerServices;
using System.Threading.Channels;
using OpenClaw.Grains.Llm;

namespace OpenClaw.Grains.Tests.UserGrainTests;

/// <summary>
/// A provider whose stream the test controls. By default it answers "Hello from the mock model."
/// in the reference transcript's five pieces; <see cref="Controlled"/> hands the stream to the test
/// piece by piece (to abort or time out mid-run); <see cref="FailWith"/> makes it fail.
/// </summary>
internal sealed class ScriptedLlmProvider(string name = "echo") : ILlmProvider
{
    public static readonly string[] ReferenceAnswer = ["Hello", " from", " the", " mock model", "."];

    private readonly object _lock = new();
    private readonly List<(LlmRequest Request, LlmEndpoint Endpoint)> _calls = [];

    public string Name => name;

    public IReadOnlyList<string> Answer { get; set; } = ReferenceAnswer;

    public LlmUsage Usage { get; set; } = new(10, 6);

    public string StopReason { get; set; } = "stop";

    /// <summary>When set, the stream throws it (after the answer's first <see cref="FailAfter"/> pieces).</summary>
    public Exception? FailWith { get; set; }

    public int FailAfter { get; set; }

    /// <summary>
    /// When set, called with each request and its 0-based number; the events it returns are the
    /// turn's stream (tool calls, text, completion). Null from it falls back to the default answer.
    /// </summary>
    public Func<LlmRequest, int, IReadOnlyList<LlmStreamEvent>?>? Script { get; set; }

    /// <summary>When set, the stream yields what the test writes here until the test completes it.</summary>
    public Channel<LlmStreamEvent>? Controlled { get; set; }

    /// <summary>Completes when a stream has started.</summary>
    public TaskCompletionSource Started { get; private set; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes when the consumer of a stream has let it go (finished, cancelled or disposed): nothing it sends later is read.</summary>
    public TaskCompletionSource Ended { get; private set; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public IReadOnlyList<(LlmRequest Request, LlmEndpoint Endpoint)> Calls
    {
        get
        {
            lock (_lock)
            {
                return _calls.ToList();
            }
        }
    }

    /// <summary>Switches to a test-controlled stream and returns its writer.</summary>
    public ChannelWriter<LlmStreamEvent> Control()
    {
        Controlled = Channel.CreateUnbounded<LlmStreamEvent>();
        Started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Ended = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        return Controlled.Writer;
    }

    public IAsyncEnumerable<LlmStreamEvent> StreamAsync(LlmRequest request, LlmEndpoint endpoint, CancellationToken cancellationToken)
    {
        int number;
        lock (_lock)
        {
            number = _calls.Count;
            _calls.Add((request, endpoint));
        }

        return Script?.Invoke(request, number) is { } scripted ? Scripted(scripted, cancellationToken) : Stream(cancellationToken);
    }

    private static async IAsyncEnumerable<LlmStreamEvent> Scripted(IReadOnlyList<LlmStreamEvent> events, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        foreach (var item in events)
        {
            cancellationToken.ThrowIfCancellationRequested();
            await Task.Yield();
            yield return item;
        }
    }

    /// <summary>A turn that calls tools: the calls, then the <c>toolUse</c> completion.</summary>
    public static IReadOnlyList<LlmStreamEvent> ToolTurn(params LlmToolCall[] calls) =>
        [.. calls, new LlmCompleted(LlmCompleted.ToolUse, new LlmUsage(10, 6))];

    /// <summary>A turn that answers <paramref name="text"/> and stops.</summary>
    public static IReadOnlyList<LlmStreamEvent> AnswerTurn(string text) =>
        [new LlmTextDelta(text), new LlmCompleted("stop", new LlmUsage(10, 6))];

    private async IAsyncEnumerable<LlmStreamEvent> Stream([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        Started.TrySetResult();
        await Task.Yield();
        if (Controlled is { } channel)
        {
            var ended = Ended;
            try
            {
                await foreach (var item in channel.Reader.ReadAllAsync(cancellationToken))
                {
                    yield return item;
                }
            }
            finally
            {
                ended.TrySetResult();
            }

            yield break;
        }

        for (var i = 0; i < Answer.Count; i++)
        {
            if (FailWith is { } failure && i == FailAfter)
            {
                throw failure;
            }

            cancellationToken.ThrowIfCancellationRequested();
            yield return new LlmTextDelta(Answer[i]);
            await Task.Yield();
        }

        if (FailWith is { } late)
        {
            throw late;
        }

        yield return new LlmCompleted(StopReason, Usage);
    }
}

/// <summary>Finds scripted providers by name; unknown names fail like the real registry.</summary>
internal sealed class FakeProviderRegistry(params ILlmProvider[] providers) : ILlmProviderRegistry
{
    public ILlmProvider Get(string providerName) =>
        providers.FirstOrDefault(p => string.Equals(p.Name, providerName, StringComparison.OrdinalIgnoreCase))
        ?? throw new LlmProviderException($"Unknown LLM provider \"{providerName}\".");
}
