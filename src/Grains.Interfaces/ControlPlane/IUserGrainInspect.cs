using System.Text.Json;
using System.Text.Json.Serialization;
using OpenClaw.Runtime;

namespace OpenClaw.Grains.Interfaces;

/// <summary>
/// A read-only look at one tenant's activation for operators (the dashboard's tenant view). Calling
/// it activates the tenant like any grain call, so callers check first that the tenant is active
/// (or the operator asked for it explicitly).
/// </summary>
public interface IUserGrainInspect : IGrainWithStringKey
{
    [AlwaysInterleave]
    Task<UserGrainActivity> GetActivity(CancellationToken cancellationToken = default);
}

/// <summary>What one active tenant is doing: counts only, never content.</summary>
[Immutable]
public sealed record UserGrainActivity
{
    public required string TenantId { get; init; }

    /// <summary>False when the tenant is unknown or disabled (the activation refuses calls).</summary>
    public bool Loaded { get; init; }
    public string? UnavailableReason { get; init; }
    public int Sessions { get; init; }
    public int ActiveRuns { get; init; }

    /// <summary>Event subscribers (one per edge process holding sockets of this tenant).</summary>
    public int Subscribers { get; init; }
    public long InputTokensTotal { get; init; }
    public long OutputTokensTotal { get; init; }
    public long RunsTotal { get; init; }

    /// <summary>The most recent session update or counted run, if any.</summary>
    public DateTimeOffset? LastActivityAt { get; init; }
}

/// <summary>Serializer metadata for <see cref="IUserGrainInspect"/>.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(UserGrainActivity))]
public sealed partial class UserGrainInspectJsonContext : JsonSerializerContext;
