using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Npgsql;
using OpenClaw.Runtime;

namespace OpenClaw.Grains.Secrets;

public static class TenantSecretServiceCollectionExtensions
{
    /// <summary>
    /// Data Protection for tenants' secrets with the key ring in <paramref name="keyDirectory"/>
    /// (<c>&lt;data dir&gt;/keys</c>, created 0700): the embedded, one-silo setup.
    /// </summary>
    public static IServiceCollection AddFileTenantSecretProtection(this IServiceCollection services, string keyDirectory)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentException.ThrowIfNullOrWhiteSpace(keyDirectory);
        var directory = Path.GetFullPath(keyDirectory);
        services.AddDataProtection().SetApplicationName(TenantSecrets.ApplicationName);

        // Configured when Data Protection first needs its keys, so the directory is made (0700) by then, not at composition.
        services.AddSingleton<IConfigureOptions<KeyManagementOptions>>(sp => new ConfigureOptions<KeyManagementOptions>(o =>
        {
            OwnerOnlyPaths.CreateDirectory(directory);
            o.XmlRepository = new FileSystemXmlRepository(new DirectoryInfo(directory), sp.GetRequiredService<ILoggerFactory>());
        }));
        services.TryAddSingleton<ITenantSecretProtector, DataProtectionTenantSecretProtector>();
        return services;
    }

    /// <summary>
    /// Data Protection for tenants' secrets with the key ring in PostgreSQL (table
    /// <c>openclaw_data_protection_keys</c>), shared by every silo of the cluster.
    /// </summary>
    public static IServiceCollection AddPostgresTenantSecretProtection(this IServiceCollection services, string connectionString, string? schemaName = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        services.TryAddKeyedSingleton(nameof(PostgresXmlRepository), (_, _) => NpgsqlDataSource.Create(connectionString));
        services.AddDataProtection().SetApplicationName(TenantSecrets.ApplicationName);
        services.AddSingleton<IConfigureOptions<KeyManagementOptions>>(sp => new ConfigureOptions<KeyManagementOptions>(o =>
            o.XmlRepository = new PostgresXmlRepository(sp.GetRequiredKeyedService<NpgsqlDataSource>(nameof(PostgresXmlRepository)), schemaName)));
        services.TryAddSingleton<ITenantSecretProtector, DataProtectionTenantSecretProtector>();
        return services;
    }
}
