using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace OpenClaw.Runtime.Postgres;

/// <summary>
/// The connection pool and schema shared by the PostgreSQL membership table, grain directory and
/// activation audit of one process. The schema is migrated once, on first use.
/// </summary>
internal sealed class PostgresClusterDatabase : IAsyncDisposable
{
    private readonly SemaphoreSlim _schemaGate = new(1, 1);
    private readonly ILogger _logger;
    private volatile bool _ready;

    public PostgresClusterDatabase(IOptions<PostgresClusteringOptions> options, IOptions<ClusterOptions> cluster, ILogger<PostgresClusterDatabase> logger)
    {
        var value = options.Value;
        if (value.Validate() is { } error) throw new OptionsValidationException(nameof(PostgresClusteringOptions), typeof(PostgresClusteringOptions), [error]);
        DataSource = NpgsqlDataSource.Create(value.ConnectionString);
        SchemaName = value.SchemaName;
        ClusterId = cluster.Value.ClusterId;
        _logger = logger;
        Membership = PostgresIdentifier.Qualify(SchemaName, PostgresClusteringSchema.Membership);
        MembershipVersion = PostgresIdentifier.Qualify(SchemaName, PostgresClusteringSchema.MembershipVersion);
        Directory = PostgresIdentifier.Qualify(SchemaName, PostgresClusteringSchema.Directory);
        Audit = PostgresIdentifier.Qualify(SchemaName, PostgresClusteringSchema.Audit);
    }

    public NpgsqlDataSource DataSource { get; }

    public string? SchemaName { get; }

    public string ClusterId { get; }

    public string Membership { get; }

    public string MembershipVersion { get; }

    public string Directory { get; }

    public string Audit { get; }

    public async Task EnsureSchemaAsync(CancellationToken cancellationToken)
    {
        if (_ready) return;
        await _schemaGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_ready) return;
            await PostgresSchemaMigrator.MigrateAsync(DataSource, PostgresClusteringSchema.Component, PostgresClusteringSchema.Migrations,
                SchemaName, _logger, cancellationToken).ConfigureAwait(false);
            _ready = true;
        }
        finally
        {
            _schemaGate.Release();
        }
    }

    /// <summary>
    /// After a server restart every idle pooled connection is dead and fails once when next used:
    /// the lease-renewing heartbeat must not spend its lease on them one by one, so the first such
    /// failure drops them all and the next attempt opens a fresh connection.
    /// </summary>
    public void DropPooledConnectionsIfServerWentAway(NpgsqlException exception)
    {
        if (exception.IsTransient || exception is PostgresException { SqlState: "57P01" or "57P02" or "57P03" }) DataSource.Clear();
    }

    public NpgsqlCommand Command(string sql, params object[] parameters)
    {
        var command = DataSource.CreateCommand(sql);
        foreach (var parameter in parameters) command.Parameters.Add(new NpgsqlParameter { Value = parameter });
        return command;
    }

    public ValueTask DisposeAsync() => DataSource.DisposeAsync();
}
