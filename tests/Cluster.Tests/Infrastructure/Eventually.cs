using Xunit.Sdk;

namespace OpenClaw.Cluster.Tests.Infrastructure;

/// <summary>Waits for a condition with a deadline: polls it, goes on as soon as it holds, fails naming what was awaited.</summary>
internal static class Eventually
{
    /// <summary>Polls <paramref name="condition"/> until it returns true; an exception counts as "not yet" and is reported if the deadline passes.</summary>
    public static async Task TrueAsync(Func<Task<bool>> condition, TimeSpan deadline, string what)
    {
        var until = DateTime.UtcNow + deadline;
        Exception? last = null;
        while (true)
        {
            try
            {
                if (await condition()) return;
                last = null;
            }
            catch (Exception ex) when (ex is not XunitException)
            {
                last = ex;
            }
            if (DateTime.UtcNow >= until)
                throw new XunitException($"Not within {deadline.TotalSeconds:0} s: {what}" + (last is null ? "" : $" (last error: {last.GetType().Name}: {last.Message})"));
            await Task.Delay(ClusterTestTimeouts.Poll);
        }
    }

    public static Task TrueAsync(Func<bool> condition, TimeSpan deadline, string what) =>
        TrueAsync(() => Task.FromResult(condition()), deadline, what);

    /// <summary>Polls <paramref name="attempt"/> until it does not throw; returns its result.</summary>
    public static async Task<T> SucceedsAsync<T>(Func<Task<T>> attempt, TimeSpan deadline, string what)
    {
        T result = default!;
        await TrueAsync(async () =>
        {
            result = await attempt();
            return true;
        }, deadline, what);
        return result;
    }
}
