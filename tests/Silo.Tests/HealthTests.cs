using System.Net.Http.Json;
using System.Text.Json;
using OpenClaw.Runtime.TestingHost;

namespace OpenClaw.Silo.Tests;

public sealed class HealthTests : IDisposable
{
    private readonly TempDirectory _data = new();

    public void Dispose() => _data.Dispose();

    [Fact]
    public async Task Uptime_counts_from_the_start_of_the_process_not_from_the_first_health_call()
    {
        // The silo's clock reads one hour after this process started: the very first /health must say so.
        var clock = new ManualTimeProvider(HealthEndpoints.ProcessStartedAt() + TimeSpan.FromHours(1));
        await using var silo = await InProcessSilo.StartAsync(_data.Path, clock, new Dictionary<string, string?> { ["demo:enabled"] = "false" });
        using var http = new HttpClient { BaseAddress = silo.HttpUri };

        var first = await http.GetFromJsonAsync<JsonElement>("/health");
        clock.Advance(TimeSpan.FromSeconds(5));
        var second = await http.GetFromJsonAsync<JsonElement>("/health");

        Assert.Equal("ok", first.GetProperty("status").GetString());
        Assert.Equal(3_600_000, first.GetProperty("uptimeMs").GetInt64());
        Assert.Equal(3_605_000, second.GetProperty("uptimeMs").GetInt64());
    }
}
