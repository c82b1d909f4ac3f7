using System.Diagnostics;
using System.Globalization;
using System.Text.Json;

namespace OpenClaw.Silo.Tests.Telemetry;

/// <summary>Debian's Prometheus (<c>/usr/bin/prometheus</c>) scrapes a running silo process.</summary>
[Collection(TelemetryCollection.Name)]
public sealed class RealPrometheusTests
{
    private const string PrometheusBinary = "/usr/bin/prometheus";
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(120);

    [Fact]
    public async Task Prometheus_scrapes_the_silo_and_can_query_its_series()
    {
        Assert.True(File.Exists(PrometheusBinary), $"{PrometheusBinary} is missing: install Debian's prometheus package");
        await using var silo = await SiloProcess.StartAsync(new Dictionary<string, string>
        {
            ["tenants:0:id"] = "t0",
            ["tenants:0:token"] = TelemetrySilo.TenantToken,
        });
        await using (var client = await silo.ConnectAsync(TelemetrySilo.TenantToken))
        {
            await MetricsEndpointTests.ChatAsync(client, "scrape me");
            await client.CloseAsync();
        }

        using var storage = new TempDirectory();
        var port = SiloProcess.FreePort();
        var config = Path.Combine(storage.Path, "prometheus.yml");
        await File.WriteAllTextAsync(config, $"""
            global:
              scrape_interval: 1s
              evaluation_interval: 1s
            scrape_configs:
              - job_name: openclaw-silo
                metrics_path: /metrics
                static_configs:
                  - targets: ["127.0.0.1:{silo.Port}"]
            """);
        var start = new ProcessStartInfo(PrometheusBinary)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[]
                 {
                     $"--config.file={config}", $"--storage.tsdb.path={Path.Combine(storage.Path, "data")}",
                     $"--web.listen-address=127.0.0.1:{port}", "--log.level=warn",
                 })
        {
            start.ArgumentList.Add(argument);
        }
        using var prometheus = Process.Start(start)!;
        var log = new System.Text.StringBuilder();
        prometheus.OutputDataReceived += (_, e) => { lock (log) log.AppendLine(e.Data); };
        prometheus.ErrorDataReceived += (_, e) => { lock (log) log.AppendLine(e.Data); };
        prometheus.BeginOutputReadLine();
        prometheus.BeginErrorReadLine();
        try
        {
            using var http = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { BaseAddress = new Uri($"http://127.0.0.1:{port}/"), Timeout = TimeSpan.FromSeconds(5) };
            var up = await QueryUntilAsync(http, "up{job=\"openclaw-silo\"}", r => r.Value == 1, prometheus, log);
            Assert.Equal($"127.0.0.1:{silo.Port}", up.Labels["instance"]);

            var runs = await QueryUntilAsync(http, "openclaw_chat_runs_total{outcome=\"ok\"}", r => r.Value >= 1, prometheus, log);
            Assert.Equal("openclaw-silo", runs.Labels["job"]);
            var calls = await QueryUntilAsync(http, "sum(openclaw_grain_calls_total{grain_type=\"user\"})", r => r.Value >= 2, prometheus, log);
            Assert.True(calls.Value >= 2);
            await QueryUntilAsync(http, "histogram_quantile(0.99, sum by (le) (openclaw_grain_call_duration_seconds_bucket))", r => r.Value > 0, prometheus, log);
        }
        finally
        {
            if (!prometheus.HasExited) prometheus.Kill();
            await prometheus.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
        }
    }

    private sealed record Sample(IReadOnlyDictionary<string, string> Labels, double Value);

    /// <summary>Asks Prometheus' HTTP API until the instant query returns a sample that satisfies <paramref name="accept"/>.</summary>
    private static async Task<Sample> QueryUntilAsync(HttpClient http, string query, Func<Sample, bool> accept, Process prometheus, System.Text.StringBuilder log)
    {
        using var deadline = new CancellationTokenSource(Deadline);
        string last = "";
        while (!deadline.IsCancellationRequested)
        {
            Assert.False(prometheus.HasExited, "prometheus exited: " + log);
            try
            {
                last = await http.GetStringAsync("api/v1/query?query=" + Uri.EscapeDataString(query), deadline.Token);
                var root = JsonDocument.Parse(last).RootElement;
                if (root.GetProperty("status").GetString() == "success")
                {
                    foreach (var result in root.GetProperty("data").GetProperty("result").EnumerateArray())
                    {
                        var labels = result.GetProperty("metric").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString()!);
                        var value = double.Parse(result.GetProperty("value")[1].GetString()!, CultureInfo.InvariantCulture);
                        var sample = new Sample(labels, value);
                        if (accept(sample)) return sample;
                    }
                }
            }
            catch (HttpRequestException)
            {
                // Prometheus is not listening yet.
            }
            catch (TaskCanceledException) when (!deadline.IsCancellationRequested)
            {
                // a slow answer: ask again
            }
            try
            {
                await Task.Delay(250, deadline.Token);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
        throw new TimeoutException($"Prometheus query '{query}' found nothing acceptable; last answer: {last}\n{log}");
    }
}
