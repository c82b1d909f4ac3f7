using OpenClaw.Grains.Interfaces;

namespace OpenClaw.Grains.ControlPlane.Monitor;

/// <summary>
/// The monitor's durable record (grain storage, state <c>monitor</c>): the active alerts and the
/// bounded history, so both survive the grain moving to another silo.
/// </summary>
public sealed class MonitorState
{
    public List<AlertRecord> Active { get; set; } = [];

    /// <summary>Every alert raised, oldest first, at most <see cref="MonitorOptions.HistoryLimit"/>; resolved ones carry their time.</summary>
    public List<AlertRecord> History { get; set; } = [];
}
