using System.Text;

namespace OpenClaw.Grains.Gateway;

/// <summary>
/// The live text events of one run (<c>agent</c> assistant and <c>chat</c> delta): text received
/// but not sent yet, when text was last sent, and how many event bytes the run has published.
/// See <see cref="RunEventPublisher.AssistantText"/>.
/// </summary>
internal sealed class LiveTextState
{
    /// <summary>Text received since the last text events.</summary>
    public StringBuilder Pending { get; } = new();

    /// <summary>When text events were last sent (a <see cref="TimeProvider"/> timestamp); null before the first.</summary>
    public long? LastSentAt { get; set; }

    public bool FlushScheduled { get; set; }

    /// <summary>Bytes of every event the run published.</summary>
    public long EventBytes { get; set; }

    /// <summary>Set when the run's event budget is spent: no more text events; the terminal events still carry the whole answer.</summary>
    public bool Stopped { get; set; }
}
