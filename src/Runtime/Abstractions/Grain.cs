namespace OpenClaw.Runtime;

/// <summary>
/// Base class of grain implementations. The runtime creates instances (constructor injection from
/// the silo's services, plus <see cref="PersistentStateAttribute"/> parameters), calls
/// <see cref="OnActivateAsync"/> before the first call and <see cref="OnDeactivateAsync"/> before
/// dropping the instance. Calls run one turn at a time.
/// </summary>
public abstract class Grain
{
    private readonly IGrainContext _context;

    protected Grain()
    {
        _context = GrainActivationScope.Current
            ?? throw new InvalidOperationException("Grains are created by the runtime; call them through IGrainFactory.GetGrain.");
    }

    public GrainId GrainId => _context.GrainId;

    /// <summary>The key this grain was activated for.</summary>
    public string GetPrimaryKeyString() => _context.GrainId.Key;

    protected IGrainFactory GrainFactory => _context.GrainFactory;

    protected IServiceProvider ServiceProvider => _context.Services;

    protected TimeProvider TimeProvider => _context.TimeProvider;

    internal IGrainContext Context => _context;

    public virtual Task OnActivateAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public virtual Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Deactivate as soon as the current turn ends.</summary>
    protected void DeactivateOnIdle() => _context.DeactivateOnIdle();

    /// <summary>Do not collect this activation for being idle during <paramref name="duration"/>.</summary>
    protected void DelayDeactivation(TimeSpan duration) => _context.DelayDeactivation(duration);

    /// <summary>Pins (true) or unpins (false) the activation: a pinned activation is never collected for idleness or capacity.</summary>
    protected void KeepAlive(bool keepAlive) => _context.SetKeepAlive(keepAlive);

    /// <summary>
    /// A timer whose callbacks run as turns of this activation, never overlapping themselves;
    /// it stops when the activation deactivates. Ticks do not count as activity unless
    /// <see cref="GrainTimerOptions.KeepAlive"/> is set.
    /// </summary>
    protected IGrainTimer RegisterGrainTimer(Func<CancellationToken, Task> callback, TimeSpan dueTime, TimeSpan period) =>
        _context.RegisterTimer(callback, new GrainTimerOptions { DueTime = dueTime, Period = period });

    protected IGrainTimer RegisterGrainTimer(Func<CancellationToken, Task> callback, GrainTimerOptions options) =>
        _context.RegisterTimer(callback, options);
}

/// <summary>Carries the activation being constructed to the <see cref="Grain"/> base constructor.</summary>
internal static class GrainActivationScope
{
    [ThreadStatic] private static IGrainContext? _current;

    public static IGrainContext? Current => _current;

    public static T Construct<T>(IGrainContext context, Func<T> create)
    {
        var previous = _current;
        _current = context;
        try { return create(); }
        finally { _current = previous; }
    }
}
