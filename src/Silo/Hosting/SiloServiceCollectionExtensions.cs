using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using OpenClaw.EdgeGateway;
using OpenClaw.Grains;
using OpenClaw.Grains.ControlPlane.ConfigSync;
using OpenClaw.Grains.ControlPlane.Monitor;
using OpenClaw.Grains.Egress;
using OpenClaw.Grains.Secrets;
using OpenClaw.Grains.Tenants;
using OpenClaw.Grains.Workspace;
using OpenClaw.Operations;
using OpenClaw.Runtime;
using OpenClaw.Runtime.Postgres;
using OpenClaw.Runtime.Sqlite;
using OpenClaw.Silo.Configuration;
using OpenClaw.Silo.Memory;
using OpenClaw.Silo.Telemetry;
using OpenClaw.Silo.Tenants;

namespace OpenClaw.Silo;

/// <summary>Composes a silo: runtime + tenant grains + storage + the edge, from configuration.</summary>
internal static class SiloServiceCollectionExtensions
{
    public static IServiceCollection AddOpenClawSilo(this IServiceCollection services, IConfiguration configuration)
    {
        var multiTenant = configuration.GetSection(MultiTenantOptions.SectionName).Get<MultiTenantOptions>() ?? new MultiTenantOptions();
        var storage = configuration.GetSection(StorageOptions.SectionName).Get<StorageOptions>() ?? new StorageOptions();
        services.Configure<MultiTenantOptions>(configuration.GetSection(MultiTenantOptions.SectionName));
        services.Configure<StorageOptions>(configuration.GetSection(StorageOptions.SectionName));
        services.Configure<DemoTenantOptions>(configuration.GetSection(DemoTenantOptions.SectionName));

        var runtime = services.AddGrainRuntime(configuration.GetSection("runtime"))
            .AddGrains(typeof(UserGrain).Assembly)
            .Configure(o =>
            {
                o.MaxActivations = multiTenant.MaxCachedUsers;
                o.CollectionAge = TimeSpan.FromMilliseconds(multiTenant.UserIdleTimeoutMs);
            });

        var dataDirectory = Path.GetFullPath(storage.DataDirectory);
        if (string.Equals(storage.Provider, StorageOptions.Postgres, StringComparison.OrdinalIgnoreCase))
        {
            var connectionString = storage.PostgresConnectionString
                ?? throw new OptionsValidationException(StorageOptions.SectionName, typeof(StorageOptions),
                    ["storage:provider is 'postgres' but storage:postgresConnectionString is not set."]);
            services.AddPostgresGrainStorage(GrainStorageNames.Default, o => o.ConnectionString = connectionString);
            services.AddPostgresTenantRegistry(o => o.ConnectionString = connectionString);
            services.AddPostgresTenantSecretProtection(connectionString);
            runtime.AddPostgresReminderTable(o =>
            {
                o.ConnectionString = connectionString;
                o.ClusterId = configuration[$"{ClusterOptions.SectionName}:clusterId"] ?? ClusterOptions.DefaultClusterId;
            });
            if (configuration.GetValue<bool>(SiloHostSettings.ClusterEnabled))
            {
                var clusterConnection = configuration["cluster:postgresConnectionString"] ?? connectionString;
                runtime.AddCluster(configuration.GetSection(ClusterOptions.SectionName))
                    .AddPostgresClustering(o => o.ConnectionString = clusterConnection);
            }
        }
        else if (configuration.GetValue<bool>(SiloHostSettings.ClusterEnabled))
        {
            throw new OptionsValidationException(StorageOptions.SectionName, typeof(StorageOptions),
                ["cluster:enabled needs storage:provider 'postgres': the silos of a cluster share their state, membership and grain directory through PostgreSQL."]);
        }
        else if (string.Equals(storage.Provider, StorageOptions.Embedded, StringComparison.OrdinalIgnoreCase))
        {
            services.AddFileGrainStorage(GrainStorageNames.Default, o => o.RootDirectory = Path.Combine(dataDirectory, "grains"));
            services.AddSqliteTenantRegistry(o => o.Directory = Path.Combine(dataDirectory, "tenants"));
            services.AddFileTenantSecretProtection(Path.Combine(dataDirectory, "keys"));
            runtime.AddSqliteReminderTable(o => o.Directory = dataDirectory);
        }
        else
        {
            throw new OptionsValidationException(StorageOptions.SectionName, typeof(StorageOptions),
                [$"storage:provider must be '{StorageOptions.Embedded}' or '{StorageOptions.Postgres}', not '{storage.Provider}'."]);
        }

        runtime.AddReminders(configuration.GetSection(ReminderOptions.SectionName));

        services.AddTenantWorkspaces(o =>
        {
            o.WorkspaceRoot = multiTenant.WorkspaceRoot ?? Path.Combine(dataDirectory, "workspaces");
            o.TemplatePath = multiTenant.TemplatePath ?? Path.Combine(AppContext.BaseDirectory, "template");
        });
        services.AddOperatorEndpoints(configuration);
        services.AddSiloTelemetry(configuration);
        services.AddEgressPolicy(configuration.GetSection(EgressOptions.SectionName));
        services.AddUserGrains(configuration);
        services.AddConfigSync(configuration);
        services.AddClusterMonitor(configuration);
        if (SiloHostSettings.HostsEdge(configuration)) services.AddEdgeGateway(configuration.GetSection("edge"));

        // Stopping deactivates (and persists) every tenant first; the .NET default of 30 s is too
        // short for a full silo. Kubernetes' termination grace period must be longer than this.
        var shutdownTimeout = configuration.GetValue("server:shutdownTimeoutSeconds", 120);
        services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(shutdownTimeout));

        // The GC keeps a burst's memory until its next full collection; see MemoryReclaimer.
        services.AddOptions<MemoryReclaimOptions>().Bind(configuration.GetSection(MemoryReclaimOptions.SectionName)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<MemoryReclaimOptions>, MemoryReclaimOptionsValidator>());
        services.TryAddSingleton<IGarbageCollector, RuntimeGarbageCollector>();
        services.AddHostedService<MemoryReclaimer>();

        services.AddSingleton<DemoTenantAnnouncement>();
        services.AddHostedService<TenantSeeder>();
        return services;
    }
}
