using Microsoft.Extensions.DependencyInjection;
using OpenClaw.Grains.Llm;

namespace OpenClaw.Grains.Tests.Llm;

internal static class LlmTestHelpers
{
    public static ServiceProvider CreateServices(Action<LlmProviderOptions>? configure = null) =>
        new ServiceCollection().AddLogging().AddLlmProviders(configure).BuildServiceProvider();

    public static ILlmProvider Provider(this ServiceProvider services, string name) =>
        services.GetRequiredService<ILlmProviderRegistry>().Get(name);

    public static LlmRequest Request(string model, string user = "What is the weather?", string? system = "You are terse.", int? maxTokens = null) =>
        new(model, system is null
            ? [new LlmMessage("user", user)]
            : [new LlmMessage("system", system), new LlmMessage("user", user)], maxTokens);

    public static async Task<StreamResult> CollectAsync(IAsyncEnumerable<LlmStreamEvent> stream, CancellationToken cancellationToken = default)
    {
        var events = new List<LlmStreamEvent>();
        await foreach (var streamEvent in stream.WithCancellation(cancellationToken))
        {
            events.Add(streamEvent);
        }

        return new StreamResult(events);
    }

    public sealed record StreamResult(IReadOnlyList<LlmStreamEvent> Events)
    {
        public string Text => string.Concat(Events.OfType<LlmTextDelta>().Select(d => d.Text));

        public int DeltaCount => Events.OfType<LlmTextDelta>().Count();

        /// <summary>The last event, which must be the only completion.</summary>
        public LlmCompleted Completed
        {
            get
            {
                Assert.Single(Events.OfType<LlmCompleted>());
                return Assert.IsType<LlmCompleted>(Events[^1]);
            }
        }
    }
}
