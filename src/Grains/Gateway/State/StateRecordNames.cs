using System.Globalization;

namespace OpenClaw.Grains.Gateway;

/// <summary>
/// The state names of a tenant's records. Every name is built from slot numbers that the store
/// reuses, never from anything the tenant chooses, so a tenant has a bounded set of records.
/// </summary>
internal static class StateRecordNames
{
    /// <summary>The index (format 2), or the whole state in format 1.</summary>
    public const string Index = "sessions";

    public const string Profile = "profile";

    /// <summary>The tenant's scheduled jobs, their recent runs and the heartbeat's schedule.</summary>
    public const string Cron = "cron";

    public static string SessionHead(int slot) => $"session/{Number(slot)}";

    public static string TranscriptChunk(int sessionSlot, int chunkSlot) => $"transcript/{Number(sessionSlot)}/{Number(chunkSlot)}";

    public static string PendingRun(int slot) => $"run/{Number(slot)}";

    private static string Number(int value) => value.ToString(CultureInfo.InvariantCulture);
}
