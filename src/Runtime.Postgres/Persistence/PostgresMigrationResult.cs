namespace OpenClaw.Runtime.Postgres;

/// <summary>What <see cref="PostgresSchemaMigrator"/> found and did for one component.</summary>
/// <param name="Component">The component whose schema was migrated.</param>
/// <param name="PreviousVersion">The version recorded before this run (0 for a fresh database).</param>
/// <param name="CurrentVersion">The version recorded after this run.</param>
/// <param name="KnownVersion">The number of scripts this build knows.</param>
public sealed record PostgresMigrationResult(string Component, int PreviousVersion, int CurrentVersion, int KnownVersion)
{
    public int AppliedCount => CurrentVersion - PreviousVersion;

    /// <summary>The database was migrated by a newer build than this one (e.g. during a rolling upgrade).</summary>
    public bool DatabaseIsNewer => PreviousVersion > KnownVersion;
}
