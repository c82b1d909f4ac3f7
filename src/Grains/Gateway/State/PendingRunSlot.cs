namespace OpenClaw.Grains.Gateway;

/// <summary>A pending-run slot in memory: the run it holds (null when free) and whether the record must be written or cleared.</summary>
internal sealed class PendingRunSlot(int number)
{
    public int Number { get; } = number;

    public PendingRunRecord? Run { get; set; }

    public ChangeMark Mark { get; } = new();
}
