namespace OpenClaw.Runtime;

/// <summary>This silo's address, known once its cluster port is bound (the transport stage).</summary>
public sealed class LocalSilo
{
    private SiloAddress? _address;

    public SiloAddress Address => _address ?? throw new InvalidOperationException("The silo's cluster port is not bound yet.");

    public bool IsKnown => _address is not null;

    internal void Set(SiloAddress address) => _address = address;
}
