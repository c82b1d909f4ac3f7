using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using OpenClaw.Runtime.Sqlite;
using OpenClaw.Runtime.TestingHost;

namespace OpenClaw.Runtime.Tests.Reminders;

/// <summary>A single test silo with reminders on a manual clock; the table is in memory or an SQLite file.</summary>
internal static class ReminderSilo
{
    public static readonly DateTimeOffset Epoch = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>Short bounds so tests can use them; the defaults are in <see cref="ReminderOptions"/>.</summary>
    public static void TestOptions(ReminderOptions o)
    {
        o.MinimumPeriod = TimeSpan.FromSeconds(1);
        o.MaxRemindersPerGrain = 3;
        o.MaxNameLength = 32;
        o.RetryInitialDelay = TimeSpan.FromSeconds(1);
        o.RetryMaxDelay = TimeSpan.FromSeconds(8);
        o.DeliveredFlushInterval = TimeSpan.FromMilliseconds(100);
        o.RefreshInterval = TimeSpan.FromMinutes(30);
    }

    public static async Task<(TestSilo Silo, ManualTimeProvider Time)> StartAsync(
        ReminderProbe probe,
        InMemoryReminderTable? table = null,
        string? sqliteDirectory = null,
        DateTimeOffset? start = null,
        Action<ReminderOptions>? configure = null)
    {
        var time = new ManualTimeProvider(start ?? Epoch);
        var silo = await TestSilo.StartAsync(typeof(ReminderSilo).Assembly, configureServices: services =>
        {
            services.Replace(ServiceDescriptor.Singleton<TimeProvider>(time));
            services.AddSingleton(probe);
            var runtime = new GrainRuntimeBuilder(services).AddReminders();
            runtime.ConfigureReminders(TestOptions);
            if (configure is not null) runtime.ConfigureReminders(configure);
            if (sqliteDirectory is not null) runtime.AddSqliteReminderTable(o => o.Directory = sqliteDirectory);
            else runtime.AddInMemoryReminderTable(table);
        });
        return (silo, time);
    }

    public static ReminderService Service(this TestSilo silo) => silo.Services.GetRequiredService<ReminderService>();

    public static IReminderRegistry Registry(this TestSilo silo) => silo.Services.GetRequiredService<IReminderRegistry>();
}
