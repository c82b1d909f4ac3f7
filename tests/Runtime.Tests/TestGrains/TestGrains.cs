using OpenClaw.Runtime;

namespace OpenClaw.Runtime.Tests.TestGrains;

public sealed class CounterGrain : Grain, ICounterGrain
{
    private int _value;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        GrainProbe.Activated(GetPrimaryKeyString());
        return Task.CompletedTask;
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        GrainProbe.Deactivated(GetPrimaryKeyString(), reason.Code);
        return Task.CompletedTask;
    }

    public Task<int> Increment() => Task.FromResult(++_value);
    public Task<int> Get() => Task.FromResult(_value);
    public Task Fail(string message) => throw new InvalidOperationException(message);

    public Task<Bag> Mutate(Bag bag)
    {
        bag.Items.Add("grain");
        return Task.FromResult(bag);
    }

    public Task DeactivateWhenIdle()
    {
        DeactivateOnIdle();
        return Task.CompletedTask;
    }

    public Task KeepAliveFor(TimeSpan duration)
    {
        DelayDeactivation(duration);
        return Task.CompletedTask;
    }

    public Task Pin(bool pinned)
    {
        KeepAlive(pinned);
        return Task.CompletedTask;
    }
}

public sealed class SequenceGrain : Grain, ISequenceGrain
{
    private readonly List<int> _recorded = [];
    private int _running;

    public async Task Record(int value)
    {
        Enter();
        _recorded.Add(value);
        await Task.Yield(); // a real await inside the turn: the next call must still wait for it
        Exit();
    }

    public Task<List<int>> Recorded() => Task.FromResult(_recorded);

    public async Task<string> Hold(string gate)
    {
        Enter();
        await GrainProbe.Gate(gate).Task;
        Exit();
        return "held:" + gate;
    }

    public Task<string> Quick(string tag)
    {
        Enter();
        Exit();
        return Task.FromResult("quick:" + tag);
    }

    public Task<string> Peek(string tag) => Task.FromResult($"peek:{tag}:running={_running}");

    private void Enter()
    {
        if (++_running != 1) throw new InvalidOperationException("Two non-interleaved turns overlapped.");
    }

    private void Exit() => _running--;
}

public sealed class StatefulGrain([PersistentState("items")] IPersistentState<StatefulState> state) : Grain, IStatefulGrain
{
    private bool _dirty;

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken) =>
        _dirty ? state.WriteStateAsync(cancellationToken) : Task.CompletedTask;

    public Task<int> Add(string item)
    {
        state.State.Items.Add(item);
        _dirty = true;
        return Task.FromResult(state.State.Items.Count);
    }

    public Task<List<string>> Items() => Task.FromResult(state.State.Items);
    public Task<int> Etag() => Task.FromResult(state.Etag);

    public async Task Save()
    {
        await state.WriteStateAsync();
        _dirty = false;
    }

    public async Task Clear()
    {
        await state.ClearStateAsync();
        _dirty = false;
    }
}

public sealed class FailingActivationGrain : Grain, IFailingActivationGrain
{
    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        var key = GetPrimaryKeyString();
        GrainProbe.Activated(key);
        if (key.StartsWith("always", StringComparison.Ordinal) || GrainProbe.ActivationCount(key) == 1)
            throw new InvalidOperationException("activation refused for " + key);
        return Task.CompletedTask;
    }

    public Task<string> Ping() => Task.FromResult("pong");
}

public sealed class TimerGrain : Grain, ITimerGrain
{
    private int _ticks;
    private IGrainTimer? _timer;

    public Task Start(TimeSpan period, bool keepAlive)
    {
        _timer = RegisterGrainTimer(async ct =>
        {
            _ticks++;
            await Task.Yield();
        }, new GrainTimerOptions { DueTime = period, Period = period, KeepAlive = keepAlive });
        return Task.CompletedTask;
    }

    public Task<int> Ticks() => Task.FromResult(_ticks);

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        GrainProbe.Deactivated(GetPrimaryKeyString(), reason.Code);
        return Task.CompletedTask;
    }
}

/// <summary>A timer whose ticks interleave (so overlapping ticks could run at once) and each wait for the test.</summary>
public sealed class GatedTimerGrain : Grain, IGatedTimerGrain
{
    public Task Start(TimeSpan period)
    {
        var probe = TimerProbe.Of(GetPrimaryKeyString());
        RegisterGrainTimer(async _ =>
        {
            var (tick, gate) = probe.Enter();
            try
            {
                await gate;
            }
            finally
            {
                probe.Exit(tick);
            }
        }, new GrainTimerOptions { DueTime = period, Period = period, Interleave = true });
        return Task.CompletedTask;
    }

    public Task<int> Ticks() => Task.FromResult(TimerProbe.Of(GetPrimaryKeyString()).Ticks);
}

[CollectionAgeLimit(Minutes = 2)]
public sealed class ShortLivedGrain : Grain, IShortLivedGrain
{
    public Task<string> Ping() => Task.FromResult("pong");
}

public sealed class PublisherGrain : Grain, IPublisherGrain
{
    private readonly GrainObserverManager<INumberObserver> _observers;

    public PublisherGrain() => _observers = new GrainObserverManager<INumberObserver>(this, TimeSpan.FromHours(1));

    public Task Subscribe(string id, INumberObserver observer)
    {
        _observers.Subscribe(id, observer);
        return Task.CompletedTask;
    }

    public Task<int> Publish(int value)
    {
        _observers.Notify(o => o.OnNumber(value));
        return Task.FromResult(_observers.Count);
    }

    public Task<int> SubscriberCount() => Task.FromResult(_observers.Count);
}

public sealed class NotSerializableGrain : Grain, INotSerializableGrain
{
    public Task Take(Unregistered value) => Task.CompletedTask;
}
