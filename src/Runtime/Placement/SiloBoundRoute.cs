namespace OpenClaw.Runtime;

/// <summary>Where a call to a <see cref="SiloBoundAttribute"/> grain goes, decided from its key alone.</summary>
internal static class SiloBoundRoute
{
    /// <summary>
    /// The silo that must run the call: this one for <see cref="SiloBoundKeys.Local"/> or its own
    /// address, the named silo when the membership view shows it serving; otherwise the error the
    /// call fails with.
    /// </summary>
    public static SiloAddress? Resolve(GrainId target, SiloAddress self, MembershipSnapshot view, out Exception? refusal)
    {
        refusal = null;
        if (target.Key == SiloBoundKeys.Local) return self;
        if (!SiloBoundKeys.TryParse(target.Key, out var silo))
        {
            refusal = NotASiloKey(target);
            return null;
        }
        if (silo == self) return self;
        var status = view.StatusOf(silo);
        if (status is SiloStatus.Active or SiloStatus.ShuttingDown) return silo;
        refusal = new SiloUnavailableException(status == SiloStatus.None
            ? $"{target} is bound to silo {silo}, which is not a member of this cluster."
            : $"{target} is bound to silo {silo}, which is {status} (not serving); it is never activated elsewhere.");
        return null;
    }

    /// <summary>Whether <paramref name="key"/> names this silo (<paramref name="self"/> is null for a single silo without a cluster).</summary>
    public static bool AddressesThisSilo(string key, SiloAddress? self) =>
        key == SiloBoundKeys.Local || (self is { } address && SiloBoundKeys.TryParse(key, out var silo) && silo == address);

    public static Exception NotASiloKey(GrainId target) => new ArgumentException(
        $"{target} is silo-bound: its key must be '{SiloBoundKeys.Local}' or a silo address host:port@generation.");

    public static Exception NotThisSilo(GrainId target, SiloAddress? self) => new SiloUnavailableException(self is { } address
        ? $"{target} is bound to another silo than this one ({address}); it is never activated elsewhere."
        : $"{target} is bound to another silo; this single silo answers only '{SiloBoundKeys.Local}'.");
}
