namespace OpenClaw.Silo.Tests.Admin;

/// <summary>Waits for a condition with a deadline (never a fixed sleep standing in for one).</summary>
internal static class Eventually
{
    public static async Task TrueAsync(Func<Task<bool>> condition, TimeSpan deadline, string what)
    {
        var until = DateTime.UtcNow + deadline;
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < until, $"{what} did not happen within {deadline.TotalSeconds:0} s");
            await Task.Delay(50);
        }
    }
}
