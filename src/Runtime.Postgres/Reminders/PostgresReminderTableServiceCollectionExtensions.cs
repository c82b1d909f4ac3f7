using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace OpenClaw.Runtime.Postgres;

public static class PostgresReminderTableServiceCollectionExtensions
{
    /// <summary>The reminder table in PostgreSQL (for clusters, or a single silo on PostgreSQL); migrated on first use.</summary>
    public static GrainRuntimeBuilder AddPostgresReminderTable(this GrainRuntimeBuilder builder, Action<PostgresReminderTableOptions> configure)
    {
        builder.Services.AddOptions<PostgresReminderTableOptions>().Configure(configure);
        builder.Services.TryAddSingleton<PostgresReminderTable>();
        builder.Services.Replace(ServiceDescriptor.Singleton<IReminderTable>(sp => sp.GetRequiredService<PostgresReminderTable>()));
        return builder;
    }
}
