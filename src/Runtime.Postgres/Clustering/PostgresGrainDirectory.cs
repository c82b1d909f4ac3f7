namespace OpenClaw.Runtime.Postgres;

/// <summary>
/// The grain directory in PostgreSQL. Registration is one <c>INSERT … ON CONFLICT DO UPDATE</c>:
/// the row lock on the grain's entry serializes concurrent registrations, and the update keeps the
/// existing owner unless it is the same silo (an earlier activation there) or a silo the membership
/// table has as Dead (or no longer has). It returns the owner afterwards, so every contender
/// learns the winner in the same round trip. Dead is final, so an entry is never taken from a
/// silo that can still serve (see <see cref="ClusterOptions.LeaseDuration"/>).
/// </summary>
internal sealed class PostgresGrainDirectory(PostgresClusterDatabase db) : IGrainDirectory
{
    public Task InitializeAsync(CancellationToken cancellationToken) => db.EnsureSchemaAsync(cancellationToken);

    public async Task<GrainAddress> RegisterAsync(GrainAddress address, CancellationToken cancellationToken)
    {
        var takeOver = $"(d.silo = EXCLUDED.silo OR NOT EXISTS (SELECT 1 FROM {db.Membership} m WHERE m.cluster_id = d.cluster_id AND m.address = d.silo AND m.status <> {(short)SiloStatus.Dead}))";
        await using var command = db.Command(
            $"""
            INSERT INTO {db.Directory} AS d (cluster_id, grain_id, silo, activation_id, registered_at)
            VALUES ($1, $2, $3, $4, now())
            ON CONFLICT (cluster_id, grain_id) DO UPDATE SET
                silo          = CASE WHEN {takeOver} THEN EXCLUDED.silo ELSE d.silo END,
                activation_id = CASE WHEN {takeOver} THEN EXCLUDED.activation_id ELSE d.activation_id END,
                registered_at = CASE WHEN {takeOver} THEN now() ELSE d.registered_at END
            RETURNING silo, activation_id
            """,
            db.ClusterId, address.GrainId.ToString(), address.Silo.ToString(), address.ActivationId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            throw new InvalidOperationException($"Registering {address.GrainId} returned no row.");
        return new GrainAddress(address.GrainId, SiloAddress.Parse(reader.GetString(0)), reader.GetString(1));
    }

    public async Task<GrainAddress?> LookupAsync(GrainId grainId, CancellationToken cancellationToken)
    {
        await using var command = db.Command($"SELECT silo, activation_id FROM {db.Directory} WHERE cluster_id = $1 AND grain_id = $2",
            db.ClusterId, grainId.ToString());
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false)) return null;
        return new GrainAddress(grainId, SiloAddress.Parse(reader.GetString(0)), reader.GetString(1));
    }

    public async Task UnregisterAsync(GrainAddress address, CancellationToken cancellationToken)
    {
        await using var command = db.Command($"DELETE FROM {db.Directory} WHERE cluster_id = $1 AND grain_id = $2 AND silo = $3 AND activation_id = $4",
            db.ClusterId, address.GrainId.ToString(), address.Silo.ToString(), address.ActivationId);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task<int> RemoveDeadSilosAsync(CancellationToken cancellationToken)
    {
        await using var command = db.Command(
            $"""
            DELETE FROM {db.Directory} d USING {db.Membership} m
            WHERE d.cluster_id = $1 AND m.cluster_id = $1 AND m.address = d.silo AND m.status = {(short)SiloStatus.Dead}
            """,
            db.ClusterId);
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }
}
