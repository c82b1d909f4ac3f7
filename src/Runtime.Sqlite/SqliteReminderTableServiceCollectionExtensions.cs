using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace OpenClaw.Runtime.Sqlite;

public static class SqliteReminderTableServiceCollectionExtensions
{
    /// <summary>The embedded reminder table: an SQLite file (WAL, 0600) for a single silo.</summary>
    public static GrainRuntimeBuilder AddSqliteReminderTable(this GrainRuntimeBuilder builder, Action<SqliteReminderTableOptions> configure)
    {
        builder.Services.AddOptions<SqliteReminderTableOptions>().Configure(configure);
        builder.Services.TryAddSingleton<SqliteReminderTable>(sp => new SqliteReminderTable(
            sp.GetRequiredService<IOptions<SqliteReminderTableOptions>>().Value,
            sp.GetRequiredService<ILogger<SqliteReminderTable>>()));
        builder.Services.Replace(ServiceDescriptor.Singleton<IReminderTable>(sp => sp.GetRequiredService<SqliteReminderTable>()));
        return builder;
    }
}
