namespace OpenClaw.Runtime;

/// <summary>
/// The cluster-wide record of which silo holds each grain's single activation. Registration is
/// atomic: of any number of concurrent registrations of one grain, exactly one wins and all of
/// them learn the winner. An entry can only be taken over from a silo that is Dead in the
/// membership table (or from an earlier activation on the same silo), never from a live one.
/// </summary>
public interface IGrainDirectory
{
    Task InitializeAsync(CancellationToken cancellationToken);

    /// <summary>Registers <paramref name="address"/> unless a live activation is registered; returns the one that is registered afterwards.</summary>
    Task<GrainAddress> RegisterAsync(GrainAddress address, CancellationToken cancellationToken);

    Task<GrainAddress?> LookupAsync(GrainId grainId, CancellationToken cancellationToken);

    /// <summary>Removes the entry if it is still this activation's.</summary>
    Task UnregisterAsync(GrainAddress address, CancellationToken cancellationToken);

    /// <summary>Removes every entry of silos that are Dead in the membership table; returns how many.</summary>
    Task<int> RemoveDeadSilosAsync(CancellationToken cancellationToken);
}
