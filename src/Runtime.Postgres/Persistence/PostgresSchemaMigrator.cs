using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace OpenClaw.Runtime.Postgres;

/// <summary>
/// Versioned schema migrations for any component that keeps tables in PostgreSQL (grain storage,
/// membership, tenant store…). Script <c>i</c> (0-based) brings a component to version <c>i + 1</c>;
/// scripts are append-only: never edit one that has shipped, add a new one.
/// <para>
/// One run is one transaction: it takes <c>pg_advisory_xact_lock</c> (so silos starting together
/// apply each script exactly once; the others wait and then find nothing to do), creates the schema
/// and the <c>openclaw_schema_migrations(component, version, applied_at)</c> table when missing,
/// applies the scripts above the recorded version and records each one. A failing script rolls
/// the whole run back.
/// </para>
/// <para>
/// With a schema name, the run's <c>search_path</c> is that schema, so scripts use unqualified
/// names and the migrations table lives next to the component's tables. Without one, the
/// connection's own <c>search_path</c> decides.
/// </para>
/// </summary>
public static class PostgresSchemaMigrator
{
    public const string MigrationsTable = "openclaw_schema_migrations";

    /// <summary>The transaction-level advisory lock every migration run takes ("OpenClaw" in ASCII).</summary>
    public const long AdvisoryLockKey = 0x4F70656E436C6177;

    public static Task<PostgresMigrationResult> MigrateAsync(
        NpgsqlDataSource dataSource, string component, IReadOnlyList<string> scripts, CancellationToken cancellationToken) =>
        MigrateAsync(dataSource, component, scripts, schemaName: null, logger: null, cancellationToken);

    public static async Task<PostgresMigrationResult> MigrateAsync(
        NpgsqlDataSource dataSource,
        string component,
        IReadOnlyList<string> scripts,
        string? schemaName,
        ILogger? logger,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        ArgumentException.ThrowIfNullOrWhiteSpace(component);
        ArgumentNullException.ThrowIfNull(scripts);
        ValidateScripts(component, scripts);
        if (schemaName is not null && PostgresIdentifier.Validate(schemaName) is { } schemaError)
        {
            throw new ArgumentException($"Schema name '{schemaName}' cannot be used: {schemaError}.", nameof(schemaName));
        }

        logger ??= NullLogger.Instance;
        var schemaLabel = schemaName ?? "(search_path)";

        var connection = await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            await using (transaction.ConfigureAwait(false))
            {
                await ExecuteAsync(connection, transaction, "SELECT pg_advisory_xact_lock($1)", cancellationToken, AdvisoryLockKey).ConfigureAwait(false);
                if (schemaName is not null)
                {
                    await EnsureSchemaAsync(connection, transaction, schemaName, cancellationToken).ConfigureAwait(false);
                    await ExecuteAsync(connection, transaction, $"SET LOCAL search_path TO {PostgresIdentifier.Quote(schemaName)}", cancellationToken).ConfigureAwait(false);
                }

                await ExecuteAsync(connection, transaction, CreateMigrationsTableSql, cancellationToken).ConfigureAwait(false);
                var previous = await ReadVersionAsync(connection, transaction, component, cancellationToken).ConfigureAwait(false);

                for (var version = previous + 1; version <= scripts.Count; version++)
                {
                    await ApplyAsync(connection, transaction, component, version, scripts[version - 1], cancellationToken).ConfigureAwait(false);
                    PostgresSchemaMigratorLog.Applied(logger, component, version, schemaLabel);
                }

                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);

                var result = new PostgresMigrationResult(component, previous, Math.Max(previous, scripts.Count), scripts.Count);
                if (result.DatabaseIsNewer)
                {
                    PostgresSchemaMigratorLog.DatabaseIsNewer(logger, component, schemaLabel, previous, scripts.Count);
                }
                else if (result.AppliedCount == 0)
                {
                    PostgresSchemaMigratorLog.UpToDate(logger, component, schemaLabel, previous);
                }

                return result;
            }
        }
    }

    private const string CreateMigrationsTableSql =
        $"""
        CREATE TABLE IF NOT EXISTS {MigrationsTable} (
            component  text        NOT NULL,
            version    integer     NOT NULL,
            applied_at timestamptz NOT NULL DEFAULT now(),
            PRIMARY KEY (component, version)
        )
        """;

    private static void ValidateScripts(string component, IReadOnlyList<string> scripts)
    {
        for (var i = 0; i < scripts.Count; i++)
        {
            if (string.IsNullOrWhiteSpace(scripts[i]))
            {
                throw new ArgumentException($"Migration script {i + 1} of component '{component}' is empty.", nameof(scripts));
            }
        }
    }

    /// <summary>Creates the schema only when missing, so a role without CREATE on the database can use a prepared schema.</summary>
    private static async Task EnsureSchemaAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string schemaName, CancellationToken cancellationToken)
    {
        var command = new NpgsqlCommand("SELECT EXISTS (SELECT 1 FROM pg_catalog.pg_namespace WHERE nspname = $1)", connection, transaction)
        {
            Parameters = { new NpgsqlParameter { Value = schemaName } },
        };
        await using (command.ConfigureAwait(false))
        {
            if ((bool)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!)
            {
                return;
            }
        }

        await ExecuteAsync(connection, transaction, $"CREATE SCHEMA {PostgresIdentifier.Quote(schemaName)}", cancellationToken).ConfigureAwait(false);
    }

    private static async Task<int> ReadVersionAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string component, CancellationToken cancellationToken)
    {
        var command = new NpgsqlCommand($"SELECT COALESCE(MAX(version), 0) FROM {MigrationsTable} WHERE component = $1", connection, transaction)
        {
            Parameters = { new NpgsqlParameter { Value = component } },
        };
        await using (command.ConfigureAwait(false))
        {
            return (int)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
        }
    }

    private static async Task ApplyAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string component, int version, string script, CancellationToken cancellationToken)
    {
        try
        {
            await ExecuteAsync(connection, transaction, script, cancellationToken).ConfigureAwait(false);
        }
        catch (PostgresException e)
        {
            throw new InvalidOperationException($"Schema migration {component} v{version} failed: {e.MessageText}. Nothing of this migration run was applied.", e);
        }

        await ExecuteAsync(
            connection,
            transaction,
            $"INSERT INTO {MigrationsTable} (component, version, applied_at) VALUES ($1, $2, now())",
            cancellationToken,
            component,
            version).ConfigureAwait(false);
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string sql, CancellationToken cancellationToken, params object[] parameters)
    {
        var command = new NpgsqlCommand(sql, connection, transaction);
        await using (command.ConfigureAwait(false))
        {
            foreach (var value in parameters)
            {
                command.Parameters.Add(new NpgsqlParameter { Value = value });
            }

            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
    }
}
