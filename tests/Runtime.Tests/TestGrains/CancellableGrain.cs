using OpenClaw.Runtime;

namespace OpenClaw.Runtime.Tests.TestGrains;

/// <summary>A grain whose methods take a <see cref="CancellationToken"/>; it logs what ran.</summary>
public interface ICancellableGrain : IGrainWithStringKey
{
    /// <summary>Holds its (non-interleaved) turn until the test opens the gate.</summary>
    Task Hold(string gate);

    /// <summary>Logs "ran:tag".</summary>
    Task<string> Work(string tag, CancellationToken cancellationToken);

    /// <summary>Logs "waiting", then waits until its token is cancelled and logs "cancelled".</summary>
    Task<string> WaitForCancellation(CancellationToken cancellationToken);

    [AlwaysInterleave]
    Task<List<string>> Log();
}

public sealed class CancellableGrain : Grain, ICancellableGrain
{
    private readonly List<string> _log = [];

    public Task Hold(string gate) => GrainProbe.Gate(gate).Task;

    public Task<string> Work(string tag, CancellationToken cancellationToken)
    {
        _log.Add("ran:" + tag);
        return Task.FromResult(tag);
    }

    public async Task<string> WaitForCancellation(CancellationToken cancellationToken)
    {
        _log.Add("waiting");
        var cancelled = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using (cancellationToken.Register(() => cancelled.TrySetResult()))
        {
            await cancelled.Task;
        }
        _log.Add("cancelled");
        return "cancelled";
    }

    public Task<List<string>> Log() => Task.FromResult(_log.ToList());
}
