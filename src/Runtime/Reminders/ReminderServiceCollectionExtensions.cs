using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace OpenClaw.Runtime;

public static class ReminderServiceCollectionExtensions
{
    /// <summary>
    /// Durable reminders: <see cref="IReminderRegistry"/> for grains (resolve it from the silo's
    /// services) and the per-silo reminder service that fires them. A reminder table must be
    /// registered too (<see cref="AddInMemoryReminderTable"/>, the SQLite one in OpenClaw.Runtime.Sqlite,
    /// the PostgreSQL one in OpenClaw.Runtime.Postgres). With <see cref="ClusterServiceCollectionExtensions.AddCluster"/>,
    /// reminders are shared out among the Active silos; otherwise this silo fires them all.
    /// </summary>
    public static GrainRuntimeBuilder AddReminders(this GrainRuntimeBuilder builder, IConfiguration? configuration = null)
    {
        var services = builder.Services;
        var options = services.AddOptions<ReminderOptions>();
        if (configuration is not null) options.Bind(configuration);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ReminderOptions>, ReminderOptionsValidator>());
        options.ValidateOnStart();

        if (services.Any(d => d.ServiceType == typeof(ReminderService))) return builder;
        builder.AddGrains(typeof(ReminderService).Assembly); // the silo-bound ReminderServiceGrain
        services.TryAddSingleton<IReminderOwnership>(sp => sp.GetService<ClusterMembershipView>() is { } view
            ? new ClusterReminderOwnership(view, sp.GetRequiredService<LocalSilo>(), sp.GetRequiredService<IOptions<ReminderOptions>>())
            : new SingleSiloReminderOwnership());
        services.TryAddSingleton(sp => new ReminderService(
            sp.GetService<IReminderTable>() ?? throw new InvalidOperationException(
                "Reminders need a reminder table: register one (AddSqliteReminderTable, AddPostgresReminderTable or AddInMemoryReminderTable)."),
            sp.GetRequiredService<IReminderOwnership>(),
            sp.GetRequiredService<IGrainCallRouter>(),
            sp.GetRequiredService<IOptions<ReminderOptions>>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<Microsoft.Extensions.Logging.ILogger<ReminderService>>()));
        services.TryAddSingleton<IReminderRegistry, ReminderRegistry>();
        services.AddSingleton<ISiloLifecycleParticipant>(sp => sp.GetRequiredService<ReminderService>());
        return builder;
    }

    /// <summary>Reminders kept in memory: lost when the process ends (tests).</summary>
    public static GrainRuntimeBuilder AddInMemoryReminderTable(this GrainRuntimeBuilder builder, InMemoryReminderTable? table = null)
    {
        builder.Services.Replace(ServiceDescriptor.Singleton<IReminderTable>(table ?? new InMemoryReminderTable()));
        return builder;
    }

    public static GrainRuntimeBuilder ConfigureReminders(this GrainRuntimeBuilder builder, Action<ReminderOptions> configure)
    {
        builder.Services.Configure(configure);
        return builder;
    }
}
