using OpenClaw.Runtime.TestingHost;
using OpenClaw.Runtime.Tests.TestGrains;

namespace OpenClaw.Runtime.Tests.Runtime;

public sealed class BadInputTests : IAsyncLifetime
{
    private TestSilo _silo = null!;

    public async Task InitializeAsync() => _silo = await TestSilo.StartAsync(typeof(CounterGrain).Assembly);
    public async Task DisposeAsync() => await _silo.DisposeAsync();

    [Fact]
    public void Null_empty_and_blank_keys_are_rejected()
    {
        Assert.Throws<ArgumentNullException>(() => _silo.GrainFactory.GetGrain<ICounterGrain>(null!));
        Assert.Throws<ArgumentException>(() => _silo.GrainFactory.GetGrain<ICounterGrain>(""));
        Assert.Throws<ArgumentException>(() => _silo.GrainFactory.GetGrain<ICounterGrain>("   "));
    }

    [Fact]
    public void An_interface_without_a_grain_class_is_rejected_by_name()
    {
        var error = Assert.Throws<ArgumentException>(() => _silo.GrainFactory.GetGrain<IUnimplementedGrain>("k"));
        Assert.Contains(nameof(IUnimplementedGrain), error.Message);
    }

    [Fact]
    public void Observer_registration_checks_its_arguments()
    {
        Assert.Throws<ArgumentNullException>(() => _silo.GrainFactory.CreateObjectReference<INumberObserver>(null!));
        var reference = _silo.GrainFactory.GetGrain<ICounterGrain>("k");
        Assert.Throws<ArgumentException>(() => _silo.GrainFactory.DeleteObjectReference<INumberObserver>(new NotAReference()));
        Assert.NotNull(reference);
    }

    [Fact]
    public async Task An_argument_type_without_serializer_metadata_fails_with_a_clear_message()
    {
        var grain = _silo.GrainFactory.GetGrain<INotSerializableGrain>("k");
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => grain.Take(new Unregistered { Value = 1 }));
        Assert.Contains("JsonSerializable", error.Message);
    }

    [Fact]
    public void Malformed_grain_ids_are_rejected()
    {
        Assert.Throws<ArgumentException>(() => new GrainId("", "k"));
        Assert.Throws<ArgumentException>(() => new GrainId("t", ""));
        Assert.Throws<FormatException>(() => GrainId.Parse("no-slash"));
        Assert.Equal(new GrainId("user", "a/b"), GrainId.Parse("user/a/b"));
    }

    [Fact]
    public async Task A_call_that_is_not_answered_in_time_fails_with_an_unknown_outcome_timeout()
    {
        var gate = GrainProbe.UniqueKey("never");
        var grain = _silo.GrainFactory.GetGrain<ISequenceGrain>(GrainProbe.UniqueKey("slow"));
        var held = grain.Hold(gate);
        var queued = grain.Quick("behind");
        Assert.Equal("peek:ready:running=1", await grain.Peek("ready")); // the held turn runs, "behind" waits: both are pending calls now

        _silo.Time.Advance(TimeSpan.FromSeconds(31));
        _silo.Runtime.ExpireTimedOutCalls();
        var error = await Assert.ThrowsAsync<GrainCallTimeoutException>(() => held);
        Assert.Contains("outcome is unknown", error.Message);
        await Assert.ThrowsAsync<GrainCallTimeoutException>(() => queued);

        GrainProbe.Gate(gate).SetResult();
        Assert.Equal("quick:after", await grain.Quick("after")); // the activation carries on
    }

    private sealed class NotAReference : INumberObserver
    {
        public void OnNumber(int value) { }
    }
}
