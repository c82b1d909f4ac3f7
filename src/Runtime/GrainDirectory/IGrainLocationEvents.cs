namespace OpenClaw.Runtime;

/// <summary>
/// Tells a process when grains it was using lost their activation because the silo holding them
/// was declared dead: what they kept in memory for this process (such as observer subscriptions)
/// is gone, and the next call activates them elsewhere. Handlers run on the membership update
/// path: they must only schedule work.
/// </summary>
public interface IGrainLocationEvents
{
    event Action<IReadOnlyList<GrainId>>? GrainsLost;
}
