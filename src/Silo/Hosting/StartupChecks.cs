using Microsoft.Extensions.Options;
using OpenClaw.Grains.Interfaces;
using OpenClaw.Grains.Tenants;
using OpenClaw.Runtime;
using OpenClaw.Silo.Configuration;
using OpenClaw.Silo.Tenants;

namespace OpenClaw.Silo;

/// <summary>
/// What only the operator can fix, checked before the host starts, so that a failure is one line on
/// stderr and exit code 1 instead of an unhandled exception with a stack trace: the data directory
/// (created 0700; the silo's own entries in an existing one narrowed to owner-only, since older
/// versions created them readable by everyone) and the embedded tenant registry (opened once, which
/// imports an old tenant store file: a damaged one names itself and the way out).
/// </summary>
internal static class StartupChecks
{
    /// <summary>The silo's entries in the data directory; the directory itself may be shared, so it is left as it is.</summary>
    private static readonly string[] OwnEntries = ["grains", "tenants", "keys", "workspaces", TenantSeeder.DemoTokenFileName];

    /// <summary>Null when the silo can start, else the one line to print.</summary>
    public static async Task<string?> RunAsync(IServiceProvider services, CancellationToken cancellationToken)
    {
        var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger("OpenClaw.Silo");
        var dataDirectory = Path.GetFullPath(services.GetRequiredService<IOptions<StorageOptions>>().Value.DataDirectory);
        try
        {
            OwnerOnlyPaths.CreateDirectory(dataDirectory);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return $"cannot create the data directory {dataDirectory}: {e.Message}";
        }

        foreach (var entry in OwnEntries)
        {
            var path = Path.Join(dataDirectory, entry);
            if (!OwnerOnlyPaths.TryRestrict(path, out var problem)) SiloLog.NotRestricted(logger, path, problem!);
        }

        if (services.GetRequiredService<ITenantRegistry>() is SqliteTenantRegistry registry)
        {
            try
            {
                await registry.OpenAsync(cancellationToken);
            }
            catch (TenantStoreFileException e)
            {
                return e.Message;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or Microsoft.Data.Sqlite.SqliteException)
            {
                return $"cannot open the tenant registry {registry.FilePath}: {e.Message} (restore it from a backup, or move it aside to start with an empty registry)";
            }
        }

        return null;
    }
}
