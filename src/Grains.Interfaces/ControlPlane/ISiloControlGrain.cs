using System.Text.Json;
using System.Text.Json.Serialization;
using OpenClaw.Runtime;

namespace OpenClaw.Grains.Interfaces;

/// <summary>
/// One silo's operator controls. Silo-bound: the key is the silo's address
/// (<see cref="SiloBoundKeys.For"/>) or <see cref="SiloBoundKeys.Local"/>, and the call runs on
/// exactly that silo (refused when it is not serving).
/// </summary>
public interface ISiloControlGrain : IGrainWithStringKey
{
    /// <summary>This silo's figures now.</summary>
    Task<SiloStats> GetStats(CancellationToken cancellationToken = default);

    /// <summary>
    /// Deactivates now the tenants on this silo idle for at least <paramref name="idleFor"/>
    /// (default: the configured idle timeout, <c>multiTenant:userIdleTimeoutMs</c>).
    /// </summary>
    Task<SiloCleanupResult> CollectIdle(TimeSpan? idleFor, CancellationToken cancellationToken = default);

    /// <summary>Ids of the tenants active on this silo after <paramref name="after"/> (ordinal order), at most <paramref name="limit"/> (1..1000).</summary>
    Task<SiloActiveTenants> ListActive(string? after, int limit, CancellationToken cancellationToken = default);
}

[Immutable]
public sealed record SiloCleanupResult
{
    public required string Silo { get; init; }
    public int Deactivated { get; init; }
    public TimeSpan IdleFor { get; init; }
    public int ActiveAfter { get; init; }
}

[Immutable]
public sealed record SiloActiveTenants
{
    public required string Silo { get; init; }
    public IReadOnlyList<string> Tenants { get; init; } = [];

    /// <summary>The last id of this page when more may follow; null at the end.</summary>
    public string? NextAfter { get; init; }
}

/// <summary>Serializer metadata for <see cref="ISiloControlGrain"/>'s arguments and results.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(SiloStats))]
[JsonSerializable(typeof(SiloCleanupResult))]
[JsonSerializable(typeof(SiloActiveTenants))]
[JsonSerializable(typeof(TimeSpan?))]
public sealed partial class SiloControlJsonContext : JsonSerializerContext;
