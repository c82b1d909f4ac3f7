using System.Diagnostics;
using System.Globalization;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging.Abstractions;
using OpenClaw.Grains;
using OpenClaw.Grains.Agent;
using OpenClaw.Grains.Egress;
using OpenClaw.Grains.Gateway;
using OpenClaw.Grains.Interfaces;
using OpenClaw.Grains.Llm;
using OpenClaw.Grains.Tests.UserGrainTests;

// Agent loop overhead: one tenant's gateway (dispatcher, runs, transcript, in-memory state) on a
// single-threaded activation, an in-process model that answers at once (no model time), and a
// no-op tool. Runs of 0 and N tool rounds; the difference per round is what the loop costs.
//   dotnet run -c Release --project bench/AgentBench -- [--rounds 4] [--runs 2000] [--warmup 300]
var rounds = IntArg("--rounds", 4);
var runs = IntArg("--runs", 2000);
var warmup = IntArg("--warmup", 300);

Console.WriteLine($"agent bench: rounds {rounds}, runs {runs} (+{warmup} warm-up), {Environment.ProcessorCount} cores, {System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription}");
// A throwaway pass first, so that tiered JIT has settled for every configuration measured after it.
await MeasureAsync(rounds, runs, warmup);
var zero = await MeasureAsync(0, runs, warmup);
var withTools = await MeasureAsync(rounds, runs, warmup);
var two = await MeasureAsync(2, runs, warmup);
Report("0 tool rounds", zero);
Report($"{rounds} tool rounds", withTools);
Report("2 tool rounds (two-tool run)", two);
var perRoundUs = (withTools.MedianUs - zero.MedianUs) / rounds;
var perRoundBytes = (withTools.BytesPerRun - zero.BytesPerRun) / rounds;
var perRoundCpuUs = (withTools.CpuUsPerRun - zero.CpuUsPerRun) / rounds;
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"overhead per tool round (excluding model time): {perRoundUs:0.0} µs median wall, {perRoundCpuUs:0.0} µs CPU, {perRoundBytes / 1024.0:0.0} KiB allocated"));
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"two-tool runs: {two.RunsPerSecond:0} runs/s (one tenant, sequential)"));
return 0;

static void Report(string name, Measurement m) => Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"{name,-30} median {m.MedianUs,8:0.0} µs  p90 {m.P90Us,8:0.0} µs  CPU {m.CpuUsPerRun,7:0.0} µs/run  {m.BytesPerRun / 1024.0,7:0.0} KiB/run  {m.RunsPerSecond,6:0} runs/s"));

static async Task<Measurement> MeasureAsync(int toolRounds, int runs, int warmup)
{
    var options = new UserGrainOptions { LiveTextPacing = TimeSpan.Zero, MaxToolRounds = Math.Max(1, toolRounds), MaxConcurrentRuns = 8 };
    var provider = new BenchProvider(toolRounds);
    var events = new CountingSink();
    var storage = new TestStateStorage();
    var state = new PersistentUserStateStore(storage, TestStateStorage.GrainType, "bench", options);
    using var activation = new ActivationContext();
    var context = new GatewayContext("bench", options, state, events, new SingleProvider(provider), EgressPolicy.PublicOnly, TimeProvider.System, NullLogger.Instance)
    {
        ToolsOverride = [new NoopTool()],
    };
    context.SetTenant(new TenantRecord { TenantId = "bench", Config = new TenantConfig { Provider = "bench", Model = "bench-1", ApiKey = "k" } });
    var dispatcher = new GatewayDispatcher(context);
    await activation.RunAsync(async () =>
    {
        await context.LoadStateAsync();
        return true;
    });

    var times = new List<double>(runs);
    for (var i = 0; i < warmup; i++)
    {
        await RunOnceAsync(activation, dispatcher, context, i);
    }

    GC.Collect();
    var allocated = GC.GetTotalAllocatedBytes(precise: true);
    var cpu = Process.GetCurrentProcess().TotalProcessorTime;
    var total = Stopwatch.StartNew();
    for (var i = 0; i < runs; i++)
    {
        var started = Stopwatch.GetTimestamp();
        await RunOnceAsync(activation, dispatcher, context, warmup + i);
        times.Add(Stopwatch.GetElapsedTime(started).TotalMicroseconds);
    }

    total.Stop();
    var cpuUs = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalMicroseconds / runs;
    var bytes = (GC.GetTotalAllocatedBytes(precise: true) - allocated) / (double)runs;
    times.Sort();
    return new Measurement(times[times.Count / 2], times[(int)(times.Count * 0.9)], bytes, runs / total.Elapsed.TotalSeconds, cpuUs);
}

static async Task RunOnceAsync(ActivationContext activation, GatewayDispatcher dispatcher, GatewayContext context, int i)
{
    var runId = "run-" + i.ToString(CultureInfo.InvariantCulture);
    var outcome = await activation.RunAsync(async () =>
    {
        var reply = await dispatcher.InvokeAsync(new GatewayCall
        {
            Method = "chat.send",
            ParamsJson = $$"""{"sessionKey":"agent:main:bench-{{i % 32}}","message":"go","idempotencyKey":"{{runId}}"}""",
            ConnectionId = "c1",
            RequestId = runId,
            Scopes = [GatewayMethodCatalog.ScopeAdmin],
        });
        if (!reply.Ok)
        {
            throw new InvalidOperationException(reply.Error?.Message);
        }

        return context.Runs.FindActive(runId) is { } run ? await run.Completion : context.Runs.FindOutcome(runId)!;
    });
    if (outcome.Status != RunStatus.Ok)
    {
        throw new InvalidOperationException($"run {runId} ended {outcome.Status}: {outcome.ErrorMessage}");
    }
}

int IntArg(string name, int fallback)
{
    var index = Array.IndexOf(args, name);
    return index >= 0 && index + 1 < args.Length ? int.Parse(args[index + 1], CultureInfo.InvariantCulture) : fallback;
}

/// <summary>Wall time per run (median, p90), allocations and process CPU time per run (less sensitive to a loaded machine), runs/s.</summary>
internal sealed record Measurement(double MedianUs, double P90Us, double BytesPerRun, double RunsPerSecond, double CpuUsPerRun);

/// <summary>Calls the no-op tool until the conversation since the last prompt holds <c>rounds</c> results, then answers.</summary>
internal sealed class BenchProvider(int rounds) : ILlmProvider
{
    private static readonly LlmUsage Usage = new(10, 6);

    public string Name => "bench";

    public IAsyncEnumerable<LlmStreamEvent> StreamAsync(LlmRequest request, LlmEndpoint endpoint, CancellationToken cancellationToken)
    {
        var results = 0;
        for (var i = request.Messages.Count - 1; i >= 0 && request.Messages[i].Role != LlmMessage.UserRole; i--)
        {
            results += request.Messages[i].Role == LlmMessage.ToolRole ? 1 : 0;
        }

        return Stream(results < rounds, results, cancellationToken);
    }

    private static async IAsyncEnumerable<LlmStreamEvent> Stream(bool callTool, int round, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await Task.Yield();
        if (callTool)
        {
            yield return new LlmToolCall("call_" + round.ToString(CultureInfo.InvariantCulture), "noop", """{"path":"a.txt"}""");
            yield return new LlmCompleted(LlmCompleted.ToolUse, Usage);
        }
        else
        {
            yield return new LlmTextDelta("Done.");
            yield return new LlmCompleted("stop", Usage);
        }
    }
}

internal sealed class SingleProvider(ILlmProvider provider) : ILlmProviderRegistry
{
    public ILlmProvider Get(string providerName) => provider;
}

internal sealed class NoopTool : IAgentTool
{
    public string Name => "noop";

    public string Description => "Does nothing.";

    public string ParametersJson => """{"type":"object","properties":{"path":{"type":"string"}}}""";

    public Task<ToolResult> ExecuteAsync(AgentToolCall call, ToolRunContext context, CancellationToken cancellationToken) =>
        Task.FromResult(ToolResult.Ok("ok", meta: "noop"));
}

internal sealed class CountingSink : ITenantEventSink
{
    public long Events { get; private set; }

    public void Publish(TenantEvent tenantEvent) => Events++;

    public void PublishToSessionSubscribers(TenantEvent tenantEvent) => Events++;

    public void SetSessionSubscription(string connectionId, bool subscribed)
    {
    }
}

namespace OpenClaw.Grains.Tests.UserGrainTests
{
    /// <summary>What the linked test storage needs of the test harness.</summary>
    internal static class GatewayHarness
    {
        public const string TenantId = "bench";
    }
}
