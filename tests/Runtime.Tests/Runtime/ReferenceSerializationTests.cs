using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using OpenClaw.Runtime.TestingHost;
using OpenClaw.Runtime.Tests.TestGrains;

namespace OpenClaw.Runtime.Tests.Runtime;

/// <summary>References written as JSON (what a network hop carries) and read back on the receiving side.</summary>
public sealed class ReferenceSerializationTests : IAsyncLifetime
{
    private TestSilo _silo = null!;

    public async Task InitializeAsync() => _silo = await TestSilo.StartAsync(typeof(PublisherGrain).Assembly);
    public async Task DisposeAsync() => await _silo.DisposeAsync();

    private IGrainCallRouter Router => _silo.Services.GetRequiredService<IGrainCallRouter>();

    [Fact]
    public async Task A_grain_reference_read_back_calls_the_same_grain()
    {
        var key = GrainProbe.UniqueKey("json-ref");
        var original = _silo.GrainFactory.GetGrain<ICounterGrain>(key);
        await original.Increment();

        var json = GrainSerializer.SerializeToUtf8Bytes(original);
        Assert.Contains("counter/" + key, System.Text.Encoding.UTF8.GetString(json));
        ICounterGrain copy;
        using (GrainReferenceJson.Bind(Router)) copy = GrainSerializer.Deserialize<ICounterGrain>(json)!;

        Assert.Equal(original, copy);
        Assert.Equal(2, await copy.Increment());
    }

    [Fact]
    public async Task An_observer_reference_read_back_still_reaches_the_observer()
    {
        var received = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        var reference = _silo.GrainFactory.CreateObjectReference<INumberObserver>(new Callback(received));
        INumberObserver copy;
        using (GrainReferenceJson.Bind(Router)) copy = GrainSerializer.Deserialize<INumberObserver>(GrainSerializer.SerializeToUtf8Bytes(reference))!;

        await _silo.GrainFactory.GetGrain<IPublisherGrain>(GrainProbe.UniqueKey("json-pub")).Subscribe("a", copy);
        await _silo.GrainFactory.GetGrain<IPublisherGrain>(GrainProbe.UniqueKey("json-pub2")).Subscribe("a", copy);
        copy.OnNumber(7);
        Assert.Equal(7, await received.Task.WaitAsync(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public void Reading_a_reference_needs_a_bound_router_and_a_well_formed_value()
    {
        var json = GrainSerializer.SerializeToUtf8Bytes(_silo.GrainFactory.GetGrain<ICounterGrain>("k"));
        Assert.Throws<JsonException>(() => GrainSerializer.Deserialize<ICounterGrain>(json));
        using (GrainReferenceJson.Bind(Router))
        {
            Assert.Throws<JsonException>(() => GrainSerializer.Deserialize<ICounterGrain>("""{"grainId":"counter/k"}"""u8));
            Assert.Throws<JsonException>(() => GrainSerializer.Deserialize<ICounterGrain>("""{"grainId":"nokey","interface":"x"}"""u8));
            Assert.Throws<JsonException>(() => GrainSerializer.Deserialize<ICounterGrain>(
                """{"grainId":"publisher/k","interface":"OpenClaw.Runtime.Tests.TestGrains.IPublisherGrain"}"""u8));
            Assert.Throws<JsonException>(() => GrainSerializer.Deserialize<ICounterGrain>("42"u8));
        }
    }

    [Fact]
    public void A_local_object_is_not_a_reference_and_cannot_be_written()
    {
        Assert.Throws<JsonException>(() => GrainSerializer.SerializeToUtf8Bytes<INumberObserver>(new Callback(new TaskCompletionSource<int>())));
    }

    private sealed class Callback(TaskCompletionSource<int> received) : INumberObserver
    {
        public void OnNumber(int value) => received.TrySetResult(value);
    }
}
