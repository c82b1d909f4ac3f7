using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace OpenClaw.Runtime.Tests.Reminders;

/// <summary>A tenant controls names, periods and how many reminders its grain registers: each is bounded with a clear error.</summary>
public sealed class ReminderBoundsTests
{
    private static readonly TimeSpan Minute = TimeSpan.FromMinutes(1);

    [Fact]
    public async Task A_grain_cannot_have_more_reminders_than_the_bound_but_may_replace_one()
    {
        var (silo, _) = await ReminderSilo.StartAsync(new ReminderProbe());
        await using var _ = silo;
        var grain = silo.GrainFactory.GetGrain<IReminderProbeGrain>("flood");
        for (var i = 0; i < 3; i++) await grain.Register("r" + i, Minute, Minute);

        var error = await Assert.ThrowsAsync<ReminderLimitException>(() => grain.Register("one-too-many", Minute, Minute));
        Assert.Contains("already has 3 reminders", error.Message);
        Assert.Contains("MaxRemindersPerGrain", error.Message);

        await grain.Register("r1", 2 * Minute, Minute); // same name: a replacement, not a new one
        Assert.Equal(3, (await grain.List()).Count);
        Assert.Equal(3, silo.Service().Count);
        // Another grain has its own bound.
        await silo.GrainFactory.GetGrain<IReminderProbeGrain>("other").Register("r0", Minute, Minute);
    }

    [Fact]
    public async Task The_bound_holds_under_concurrent_registrations()
    {
        var (silo, _) = await ReminderSilo.StartAsync(new ReminderProbe());
        await using var _ = silo;
        var registry = silo.Registry();
        var id = silo.GrainIdOf<IReminderProbeGrain>("race");
        var attempts = await Task.WhenAll(Enumerable.Range(0, 20).Select(async i =>
        {
            try
            {
                await registry.RegisterOrUpdateAsync(id, "r" + i, Minute, Minute);
                return true;
            }
            catch (ReminderLimitException)
            {
                return false;
            }
        }));
        Assert.Equal(3, attempts.Count(ok => ok));
        Assert.Equal(3, (await registry.ListAsync(id)).Count);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("name-that-is-much-longer-than-thirty-two-characters")]
    [InlineData("bell\u0007")]
    [InlineData("new\nline")]
    public async Task Bad_names_are_refused(string name)
    {
        var (silo, _) = await ReminderSilo.StartAsync(new ReminderProbe());
        await using var _ = silo;
        var id = silo.GrainIdOf<IReminderProbeGrain>("names");
        var error = await Assert.ThrowsAsync<ArgumentException>(() => silo.Registry().RegisterOrUpdateAsync(id, name, Minute, Minute));
        Assert.Equal("name", error.ParamName);
        Assert.Equal(0, silo.Service().Count);
    }

    [Fact]
    public async Task Periods_and_due_times_out_of_bounds_are_refused()
    {
        var (silo, _) = await ReminderSilo.StartAsync(new ReminderProbe(), configure: o => o.MinimumPeriod = Minute);
        await using var _ = silo;
        var registry = silo.Registry();
        var id = silo.GrainIdOf<IReminderProbeGrain>("periods");

        var tooShort = await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => registry.RegisterOrUpdateAsync(id, "r", Minute, TimeSpan.FromSeconds(59)));
        Assert.Contains("at least 00:01:00", tooShort.Message);
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => registry.RegisterOrUpdateAsync(id, "r", Minute, TimeSpan.Zero));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => registry.RegisterOrUpdateAsync(id, "r", TimeSpan.FromSeconds(-1), Minute));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => registry.RegisterOrUpdateAsync(id, "r", TimeSpan.FromDays(100_000), Minute));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => registry.RegisterOrUpdateAsync(id, "r", Minute, TimeSpan.MaxValue));
        Assert.Empty(await registry.ListAsync(id));
    }

    [Fact]
    public async Task Only_hosted_grains_that_implement_IRemindable_can_have_reminders()
    {
        var (silo, _) = await ReminderSilo.StartAsync(new ReminderProbe());
        await using var _ = silo;
        var registry = silo.Registry();
        var notRemindable = await Assert.ThrowsAsync<ArgumentException>(() =>
            registry.RegisterOrUpdateAsync(silo.GrainIdOf<INotRemindableGrain>("x"), "r", Minute, Minute));
        Assert.Contains("does not implement IRemindable", notRemindable.Message);
        var unknown = await Assert.ThrowsAsync<ArgumentException>(() => registry.RegisterOrUpdateAsync(new GrainId("nosuchtype", "x"), "r", Minute, Minute));
        Assert.Contains("No grain type 'nosuchtype'", unknown.Message);
        await Assert.ThrowsAsync<ArgumentException>(() => registry.RegisterOrUpdateAsync(
            new GrainId(silo.GrainIdOf<IReminderProbeGrain>("x").Type, new string('k', 2000)), "r", Minute, Minute));
    }

    [Fact]
    public void Options_are_validated_with_named_defaults()
    {
        var defaults = new ReminderOptions();
        Assert.Equal(ReminderOptions.DefaultMinimumPeriod, defaults.MinimumPeriod);
        Assert.Equal(64, defaults.MaxRemindersPerGrain);
        Assert.Empty(defaults.Validate());

        var services = new ServiceCollection();
        new GrainRuntimeBuilder(services).AddReminders().ConfigureReminders(o =>
        {
            o.MinimumPeriod = TimeSpan.Zero;
            o.MaxRemindersPerGrain = 0;
            o.RetryMaxDelay = TimeSpan.FromMilliseconds(1);
        });
        using var provider = services.BuildServiceProvider();
        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<ReminderOptions>>().Value);
        Assert.Contains("reminders:MinimumPeriod must be positive.", error.Failures);
        Assert.Contains("reminders:MaxRemindersPerGrain must be between 1 and 100000.", error.Failures);
        Assert.Contains("reminders:RetryMaxDelay must be at least RetryInitialDelay.", error.Failures);
    }
}
