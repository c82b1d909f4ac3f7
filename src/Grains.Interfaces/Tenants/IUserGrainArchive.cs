using System.Text.Json;
using System.Text.Json.Serialization;
using OpenClaw.Runtime;

namespace OpenClaw.Grains.Interfaces;

/// <summary>
/// A tenant's own data as one unit, through the grain that owns it (keyed by tenant id, the same
/// activation as <see cref="IUserGrain"/>): its durable state records (sessions, transcripts,
/// profile, pending runs) and its workspace overlay files. Used by the admin API for export,
/// import and purge, from any process that has a grain factory (a silo or a standalone edge).
/// </summary>
public interface IUserGrainArchive : IGrainWithStringKey
{
    /// <summary>Writes what is dirty, then returns every state record and overlay file of the tenant.</summary>
    Task<TenantStateArchive> Export(CancellationToken cancellationToken = default);

    /// <summary>
    /// Restores <paramref name="archive"/> and deactivates, so the next call loads it. Without
    /// <paramref name="replace"/> the tenant must hold no state and no files
    /// (<see cref="TenantArchiveOutcome.Conflict"/>); with it, everything is purged first.
    /// Invalid record names, record contents or paths give <see cref="TenantArchiveOutcome.Invalid"/>
    /// before anything is written. (Outcomes, not exceptions: they cross process boundaries as they are.)
    /// </summary>
    Task<TenantArchiveResult> Import(TenantStateArchive archive, bool replace, CancellationToken cancellationToken = default);

    /// <summary>Stops the tenant's runs, clears every state record, deletes the workspace overlay and deactivates.</summary>
    Task<TenantArchiveResult> Purge(CancellationToken cancellationToken = default);
}

/// <summary>A tenant's state records (name and JSON, as the grain stores them) and its overlay files.</summary>
[Immutable]
public sealed record TenantStateArchive
{
    public const int CurrentFormat = 1;

    public int Format { get; init; } = CurrentFormat;
    public IReadOnlyList<ArchivedStateRecord> Records { get; init; } = [];
    public IReadOnlyList<ArchivedWorkspaceFile> Files { get; init; } = [];
}

/// <summary>One state record: its name (e.g. <c>session/0</c>) and its stored JSON.</summary>
[Immutable]
public sealed record ArchivedStateRecord(string Name, string Json);

/// <summary>One overlay file: its workspace-relative path (with <c>/</c>) and its exact bytes.</summary>
[Immutable]
public sealed record ArchivedWorkspaceFile(string Path, byte[] Content);

public enum TenantArchiveOutcome
{
    Done = 0,

    /// <summary>An import without replace found state or files already there.</summary>
    Conflict = 1,

    /// <summary>The archive broke a rule (record name or content, path, size); <see cref="TenantArchiveResult.Problem"/> says which.</summary>
    Invalid = 2,
}

/// <summary>What an import or purge did: how many state records and files it wrote or removed, or why it refused.</summary>
[Immutable]
public sealed record TenantArchiveResult(TenantArchiveOutcome Outcome, int Records, int Files, string? Problem = null);

/// <summary>Serializer metadata for <see cref="IUserGrainArchive"/>'s arguments and results.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull, UseStringEnumConverter = true)]
[JsonSerializable(typeof(TenantStateArchive))]
[JsonSerializable(typeof(TenantArchiveResult))]
public sealed partial class UserGrainArchiveJsonContext : JsonSerializerContext;
