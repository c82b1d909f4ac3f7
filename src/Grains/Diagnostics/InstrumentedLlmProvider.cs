using System.Diagnostics;
using System.Runtime.CompilerServices;
using OpenClaw.Grains.Llm;

namespace OpenClaw.Grains.Diagnostics;

/// <summary>
/// Measures one provider's requests: a client span (the HTTP client's own span nests under it),
/// the stream's duration by outcome, failures, and the tokens the provider reported. The provider
/// label is the registered provider's name (a bounded set chosen by the host, never by a tenant).
/// </summary>
internal sealed class InstrumentedLlmProvider(ILlmProvider inner, GrainsInstruments instruments) : ILlmProvider
{
    private readonly KeyValuePair<string, object?> _providerTag = new(GrainsInstruments.ProviderTag, inner.Name);

    public string Name => inner.Name;

    public async IAsyncEnumerable<LlmStreamEvent> StreamAsync(LlmRequest request, LlmEndpoint endpoint,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var activity = GrainsInstruments.ActivitySource.StartActivity("llm " + inner.Name, ActivityKind.Client);
        activity?.SetTag("gen_ai.system", inner.Name);
        activity?.SetTag("gen_ai.request.model", request.Model);
        var started = Stopwatch.GetTimestamp();
        var outcome = "cancelled";
        var enumerator = inner.StreamAsync(request, endpoint, cancellationToken).GetAsyncEnumerator(cancellationToken);
        try
        {
            while (true)
            {
                bool more;
                try
                {
                    more = await enumerator.MoveNextAsync();
                }
                catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
                {
                    outcome = "error";
                    activity?.SetStatus(ActivityStatusCode.Error, exception.GetType().Name);
                    throw;
                }

                if (!more) break;
                var streamEvent = enumerator.Current;
                if (streamEvent is LlmCompleted completed)
                {
                    outcome = "ok";
                    instruments.TokensUsed(_providerTag, completed.Usage.InputTokens, completed.Usage.OutputTokens);
                    activity?.SetTag("gen_ai.usage.input_tokens", completed.Usage.InputTokens);
                    activity?.SetTag("gen_ai.usage.output_tokens", completed.Usage.OutputTokens);
                }

                yield return streamEvent;
            }
        }
        finally
        {
            await enumerator.DisposeAsync();
            instruments.ProviderRequestEnded(_providerTag, outcome, Stopwatch.GetTimestamp() - started);
        }
    }
}
