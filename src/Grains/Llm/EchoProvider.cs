using System.Runtime.CompilerServices;
using Microsoft.Extensions.Options;

namespace OpenClaw.Grains.Llm;

/// <summary>
/// The development provider: needs no key and no network, answers <c>Echo: &lt;last user
/// message&gt;</c> streamed a word at a time, and reports estimated token counts (about four
/// characters a token) so that metering sees plausible figures.
/// </summary>
internal sealed class EchoProvider(IOptions<LlmProviderOptions> options) : ILlmProvider
{
    public const string ProviderName = "echo";

    private readonly TimeSpan _chunkDelay = options.Value.EchoChunkDelay;

    public string Name => ProviderName;

    public async IAsyncEnumerable<LlmStreamEvent> StreamAsync(
        LlmRequest request,
        LlmEndpoint endpoint,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(endpoint);
        LlmRequestValidation.Validate(Name, request);

        var lastUser = request.Messages.LastOrDefault(m => m.Role == LlmMessage.UserRole)?.Content ?? "";
        var answer = "Echo: " + lastUser;
        foreach (var chunk in SplitWords(answer))
        {
            if (_chunkDelay > TimeSpan.Zero)
            {
                await Task.Delay(_chunkDelay, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                await Task.Yield();
            }

            cancellationToken.ThrowIfCancellationRequested();
            yield return new LlmTextDelta(chunk);
        }

        var input = request.Messages.Sum(m => EstimateTokens(m.Content));
        yield return new LlmCompleted("stop", new LlmUsage(input, EstimateTokens(answer)));
    }

    /// <summary>Splits text into chunks of one word each with the whitespace before it, so that the chunks concatenate back to the text.</summary>
    internal static IEnumerable<string> SplitWords(string text)
    {
        var start = 0;
        var index = 0;
        while (index < text.Length)
        {
            while (index < text.Length && char.IsWhiteSpace(text[index]))
            {
                index++;
            }

            while (index < text.Length && !char.IsWhiteSpace(text[index]))
            {
                index++;
            }

            yield return text[start..index];
            start = index;
        }
    }

    internal static int EstimateTokens(string text) => text.Length == 0 ? 0 : Math.Max(1, (text.Length + 3) / 4);
}
