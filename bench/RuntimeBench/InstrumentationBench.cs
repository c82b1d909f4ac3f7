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
/// grain call into a batch processor with an exporter that drops the spans), in alternating rounds
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

        var off = new List<double>();
        var on = new List<double>();
        await measure(grains, 1000, duration); // warm-up
        for (var round = 0; round < rounds; round++)
        {
            foreach (var telemetry in round % 2 == 0 ? new[] { false, true } : [true, false])
            {
                using var meters = telemetry ? Sdk.CreateMeterProviderBuilder().AddMeter(RuntimeInstruments.MeterName).Build() : null;
                using var tracer = telemetry
                    ? Sdk.CreateTracerProviderBuilder().AddSource(RuntimeActivitySource.Name).SetSampler(new AlwaysOnSampler())
                        .AddProcessor(new BatchActivityExportProcessor(new DroppingExporter())).Build()
                    : null;
                var rate = await measure(grains, 1000, duration);
                (telemetry ? on : off).Add(rate);
                Console.WriteLine($"  round {round + 1}, telemetry {(telemetry ? "on " : "off")}: {rate:N0} calls/s");
            }
        }
        off.Sort();
        on.Sort();
        var medianOff = off[off.Count / 2];
        var medianOn = on[on.Count / 2];
        Console.WriteLine($"instrumentation, 1,000 grains, 1,000 callers: off median {medianOff:N0} calls/s, on median {medianOn:N0} calls/s, on/off {medianOn / medianOff:0.000}");
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
