using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using OpenClaw.Runtime;

namespace OpenClaw.Silo.Tests;

/// <summary>The embedded silo composes durable reminders: a registry grains can resolve, an SQLite table under the data directory.</summary>
public sealed class ReminderWiringTests : IDisposable
{
    private readonly TempDirectory _data = new();

    public void Dispose() => _data.Dispose();

    [Fact]
    public async Task The_embedded_silo_has_a_reminder_registry_and_its_table_in_the_data_directory()
    {
        var data = _data.Combine("data");
        await using (var silo = await InProcessSilo.StartAsync(data, settings: new Dictionary<string, string?>
        {
            ["reminders:minimumPeriod"] = "00:00:30",
            ["reminders:maxRemindersPerGrain"] = "8",
        }))
        {
            Assert.NotNull(silo.Services.GetRequiredService<IReminderRegistry>());
            var options = silo.Services.GetRequiredService<IOptions<ReminderOptions>>().Value;
            Assert.Equal(TimeSpan.FromSeconds(30), options.MinimumPeriod);
            Assert.Equal(8, options.MaxRemindersPerGrain);
        }

        var file = Path.Join(data, "reminders.db");
        Assert.True(File.Exists(file));
        if (!OperatingSystem.IsWindows()) Assert.Equal(OwnerOnlyPaths.FileMode, File.GetUnixFileMode(file));
    }
}
