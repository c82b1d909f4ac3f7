namespace OpenClaw.Runtime.Tests.Reminders;

internal static class Eventually
{
    /// <summary>Waits for <paramref name="condition"/> with a deadline (never a fixed sleep as synchronization).</summary>
    public static async Task True(Func<bool> condition, string what, int seconds = 20)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"Not within {seconds} s: {what}.");
            await Task.Delay(10);
        }
    }
}
