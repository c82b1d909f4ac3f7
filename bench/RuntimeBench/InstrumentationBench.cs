using System.Diagnostics;
using OpenClaw.Runtime;
using OpenClaw.Runtime.Diagnostics;
using OpenClaw.Runtime.TestingHost;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace OpenClaw.Bench.Runtime;

/// <summary>
/// Instrumentation overhead of the runtime: call throughput (1,000 grains, 1,000 callers) with
/// telemetry off (the instruments are called but nothing listens) and on (an OpenTelemetry meter
/// provider aggregating the <c>OpenClaw.Runtime</c> meter, and a tracer provider sampling every
/// grain call that is part of a trace into a batch processor with an exporter that drops the spans), in rotating rounds
/// on one silo. The same switch exists in the hosts: <c>telemetry:enabled=false</c>.
/// </summary>
internal static class InstrumentationBench
{
    public static async Task RunAsync(int rounds, Func<IPingGrain[], int, TimeSpan, Task<double>> measure)
    {
        await using var silo = await TestSilo.StartAsync(typeof(PingGrain).Assembly, o => o.MaxActivations = 1_000_000);
        var grains = Enumerable.Range(0, 1000).Select(i => silo.GrainFactory.GetGrain<IPingGrain>($"instr-{i}")).ToArray();
        await Task.WhenAll(grains.Select(g => g.Ping(0)));
        var duration = TimeSpan.FromSeconds(2);

        var variants = new[] { "off", "metrics", "metrics+tracing", "metrics+tracing, callers in a sampled trace" };
        var results = variants.ToDictionary(v => v, _ => new List<double>());
        await measure(grains, 1000, duration); // warm-up
        for (var round = 0; round < rounds; round++)
        {
            // Rotate the order so that machine noise hits every variant alike.
            for (var i = 0; i < variants.Length; i++)
            {
                var variant = variants[(i + round) % variants.Length];
                using var meters = variant != "off" ? Sdk.CreateMeterProviderBuilder().AddMeter(RuntimeInstruments.MeterName).Build() : null;
                using var tracer = variant.StartsWith("metrics+tracing", StringComparison.Ordinal)
                    ? Sdk.CreateTracerProviderBuilder().AddSource(RuntimeActivitySource.Name, Parent.Name).SetSampler(new AlwaysOnSampler())
                        .AddProcessor(new BatchActivityExportProcessor(new DroppingExporter())).Build()
                    : null;
                // The workers inherit the current span: every grain call then joins a sampled trace.
                using var parent = variant.EndsWith("sampled trace", StringComparison.Ordinal) ? Parent.StartActivity("bench callers") : null;
                var rate = await measure(grains, 1000, duration);
                results[variant].Add(rate);
                Console.WriteLine($"  round {round + 1}, {variant}: {rate:N0} calls/s");
            }
        }
        var baseline = Median(results["off"]);
        foreach (var variant in variants)
        {
            var median = Median(results[variant]);
            Console.WriteLine($"instrumentation, 1,000 grains, 1,000 callers, {variant}: median {median:N0} calls/s (min {results[variant].Min():N0}, max {results[variant].Max():N0}), vs off {median / baseline:0.000}");
        }
    }

    private static readonly ActivitySource Parent = new("OpenClaw.Bench.Runtime");

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted[sorted.Count / 2];
    }

    private sealed class DroppingExporter : BaseExporter<Activity>
    {
        public long Exported;

        public override ExportResult Export(in Batch<Activity> batch)
        {
            foreach (var _ in batch) Exported++;
            return ExportResult.Success;
        }
    }
}
