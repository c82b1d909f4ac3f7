using System.Text.Json;
using System.Text.Json.Serialization;

namespace OpenClaw.Grains.ControlPlane.ConfigSync;

/// <summary>
/// What the config sync keeps in grain storage, so that it survives the grain moving to another
/// silo: where the backend's change feed stands (<see cref="Cursor"/>, advanced only after a page
/// was applied), the last good pass, and the failure count the monitor alerts on.
/// </summary>
public sealed class ConfigSyncState
{
    /// <summary>The backend's opaque position; null until the first full pass completed a page.</summary>
    public string? Cursor { get; set; }

    public DateTimeOffset? LastAttemptAt { get; set; }
    public DateTimeOffset? LastSuccessAt { get; set; }
    public string? LastError { get; set; }
    public int ConsecutiveFailures { get; set; }
    public DateTimeOffset? NextAttemptAt { get; set; }
    public SyncCounts LastCounts { get; set; } = new();
}

/// <summary>What one pass changed.</summary>
public sealed record SyncCounts
{
    public int Created { get; init; }
    public int Updated { get; init; }
    public int Suspended { get; init; }
    public int Deleted { get; init; }
    public int TokensRevoked { get; init; }

    public static SyncCounts operator +(SyncCounts a, SyncCounts b) => new()
    {
        Created = a.Created + b.Created,
        Updated = a.Updated + b.Updated,
        Suspended = a.Suspended + b.Suspended,
        Deleted = a.Deleted + b.Deleted,
        TokensRevoked = a.TokensRevoked + b.TokensRevoked,
    };
}

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(ConfigSyncState))]
internal sealed partial class ConfigSyncStateJsonContext : JsonSerializerContext;
