namespace OpenClaw.Runtime.Postgres;

/// <summary>One row per activation in <c>openclaw_activation_audit</c> (enabled by <see cref="ClusterOptions.ActivationAudit"/>).</summary>
internal sealed class PostgresActivationAudit(PostgresClusterDatabase db) : IActivationAudit
{
    public async Task RecordAsync(GrainAddress activation, CancellationToken cancellationToken)
    {
        await using var command = db.Command($"INSERT INTO {db.Audit} (cluster_id, grain_id, silo, activation_id) VALUES ($1, $2, $3, $4)",
            db.ClusterId, activation.GrainId.ToString(), activation.Silo.ToString(), activation.ActivationId);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }
}
