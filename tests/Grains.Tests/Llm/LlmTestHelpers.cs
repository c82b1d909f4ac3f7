using Microsoft.Extensions.DependencyInjection;
using OpenClaw.Grains.Egress;
using OpenClaw.Grains.Llm;

namespace OpenClaw.Grains.Tests.Llm;

internal static class LlmTestHelpers
{
    /// <summary>The loopback range where the tests' fake servers listen, allowlisted explicitly (the default policy denies it).</summary>
    public const string TestServerNetwork = "127.0.0.1/32";

    /// <summary>The providers with the egress policy allowing <see cref="TestServerNetwork"/> only.</summary>
    public static ServiceProvider CreateServices(Action<LlmProviderOptions>? configure = null, Action<IServiceCollection>? services = null)
    {
        var collection = new ServiceCollection().AddLogging()
            .AddEgressPolicy(configure: o => o.AllowedNetworks.Add(TestServerNetwork))
            .AddLlmProviders(configure);
        services?.Invoke(collection);
        return collection.BuildServiceProvider();
    }

    /// <summary>The policy of <see cref="CreateServices"/>, for harnesses that check URLs.</summary>
    public static EgressPolicy TestServerPolicy() => new(new EgressOptions { AllowedNetworks = [TestServerNetwork] });

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
