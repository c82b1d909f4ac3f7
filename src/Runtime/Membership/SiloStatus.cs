namespace OpenClaw.Runtime;

/// <summary>A silo's status in the membership table. <see cref="Dead"/> is final.</summary>
public enum SiloStatus
{
    None = 0,

    /// <summary>Inserted itself, not serving yet.</summary>
    Joining = 1,

    /// <summary>Serving: grains may be placed here.</summary>
    Active = 2,

    /// <summary>Draining: serves what it has, takes no new activations.</summary>
    ShuttingDown = 3,

    /// <summary>Gone (left, or declared dead by its peers). A silo never comes back from Dead.</summary>
    Dead = 4,
}
