using System.Collections.Concurrent;

namespace OpenClaw.Runtime.Tests.TestGrains;

/// <summary>What test grains report to the tests: lifecycle events per grain key, and gates tests open.</summary>
public static class GrainProbe
{
    public static readonly ConcurrentDictionary<string, int> Activations = new();
    public static readonly ConcurrentDictionary<string, ConcurrentQueue<DeactivationReasonCode>> Deactivations = new();
    public static readonly ConcurrentDictionary<string, TaskCompletionSource> Gates = new();

    public static void Activated(string key) => Activations.AddOrUpdate(key, 1, (_, n) => n + 1);

    public static void Deactivated(string key, DeactivationReasonCode reason) =>
        Deactivations.GetOrAdd(key, _ => new ConcurrentQueue<DeactivationReasonCode>()).Enqueue(reason);

    public static int ActivationCount(string key) => Activations.TryGetValue(key, out var n) ? n : 0;

    public static DeactivationReasonCode[] DeactivationsOf(string key) =>
        Deactivations.TryGetValue(key, out var q) ? [.. q] : [];

    public static TaskCompletionSource Gate(string name) =>
        Gates.GetOrAdd(name, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));

    public static string UniqueKey(string prefix) => $"{prefix}-{Guid.NewGuid():N}";
}
