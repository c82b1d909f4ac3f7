namespace OpenClaw.Runtime;

/// <summary>
/// Base class of the generated, typed grain references. A reference is an immutable address:
/// it is passed between grains as is and compares equal by grain id and interface.
/// </summary>
public abstract class GrainReference : IAddressable, IEquatable<GrainReference>
{
    protected GrainReference(GrainId grainId, IGrainCallRouter router)
    {
        GrainId = grainId;
        Router = router ?? throw new ArgumentNullException(nameof(router));
    }

    public GrainId GrainId { get; }

    /// <summary>Full name of the grain interface this reference implements.</summary>
    public abstract string InterfaceName { get; }

    protected internal IGrainCallRouter Router { get; }

    public bool Equals(GrainReference? other) =>
        other is not null && GrainId.Equals(other.GrainId) && InterfaceName == other.InterfaceName;

    public override bool Equals(object? obj) => obj is GrainReference other && Equals(other);

    public override int GetHashCode() => HashCode.Combine(GrainId, InterfaceName);

    public override string ToString() => $"{InterfaceName}:{GrainId}";
}
