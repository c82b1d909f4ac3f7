using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using Npgsql;
using OpenClaw.Silo.Configuration;

namespace OpenClaw.Silo.Telemetry;

/// <summary>
/// Ready only while the silo's store answers: PostgreSQL takes a <c>SELECT 1</c> within
/// <see cref="Timeout"/>; the embedded store's data directory exists. Failures say what failed,
/// never the connection string.
/// </summary>
internal sealed class StoreReachableCheck(IOptions<StorageOptions> storage) : IHealthCheck
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(3);

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var options = storage.Value;
        if (!string.Equals(options.Provider, StorageOptions.Postgres, StringComparison.OrdinalIgnoreCase))
        {
            return Directory.Exists(Path.GetFullPath(options.DataDirectory))
                ? HealthCheckResult.Healthy("embedded store")
                : HealthCheckResult.Unhealthy("the embedded store's data directory is missing");
        }

        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(Timeout);
        try
        {
            await using var connection = new NpgsqlConnection(options.PostgresConnectionString);
            await connection.OpenAsync(deadline.Token);
            await using var command = new NpgsqlCommand("SELECT 1", connection);
            await command.ExecuteScalarAsync(deadline.Token);
            return HealthCheckResult.Healthy("postgres");
        }
        catch (Exception ex) when (ex is NpgsqlException or OperationCanceledException or TimeoutException or System.Net.Sockets.SocketException or InvalidOperationException)
        {
            return HealthCheckResult.Unhealthy(ex is OperationCanceledException ? "postgres did not answer in time" : "postgres is unreachable: " + ex.GetType().Name);
        }
    }
}
