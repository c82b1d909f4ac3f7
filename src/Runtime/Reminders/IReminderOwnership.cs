namespace OpenClaw.Runtime;

/// <summary>Which reminders this silo fires: those whose grain hash it owns.</summary>
internal interface IReminderOwnership
{
    /// <summary>Moves whenever ownership changes.</summary>
    long Version { get; }

    bool Owns(uint hash);

    /// <summary>The hash ranges this silo owns (what it reads from the table).</summary>
    IReadOnlyList<ReminderHashRange> OwnedRanges { get; }

    /// <summary>The silo that owns <paramref name="hash"/>: null when it is this one (or there is no other), else its address.</summary>
    SiloAddress? RemoteOwnerOf(uint hash);

    /// <summary>Raised after ownership changed; handlers must be quick.</summary>
    event Action? Changed;
}

/// <summary>A single silo owns every reminder.</summary>
internal sealed class SingleSiloReminderOwnership : IReminderOwnership
{
    private static readonly ReminderHashRange[] Everything = [ReminderHashRange.All];

    public long Version => 1;

    public bool Owns(uint hash) => true;

    public IReadOnlyList<ReminderHashRange> OwnedRanges => Everything;

    public SiloAddress? RemoteOwnerOf(uint hash) => null;

    public event Action? Changed
    {
        add { }
        remove { }
    }
}
