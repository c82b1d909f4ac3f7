using System.Diagnostics;
using System.Text;

namespace OpenClaw.Cluster.Tests.Infrastructure;

/// <summary>Runs a short-lived command to completion with a deadline; its output goes into the failure message.</summary>
internal static class ExternalCommand
{
    public static async Task<string> RunAsync(string file, IEnumerable<string> arguments, TimeSpan deadline, string? runAsUser = null)
    {
        var start = runAsUser is null ? new ProcessStartInfo(file) : new ProcessStartInfo("runuser");
        if (runAsUser is not null)
        {
            foreach (var prefix in new[] { "-u", runAsUser, "--", file }) start.ArgumentList.Add(prefix);
        }
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        start.UseShellExecute = false;
        start.WorkingDirectory = Path.GetTempPath(); // readable by the user runuser switches to

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {file}");
        var output = new StringBuilder();
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.AppendLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await process.WaitForExitAsync().WaitAsync(deadline);
        }
        catch (TimeoutException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{Describe(start)} did not finish within {deadline.TotalSeconds:0} s:\n{output}");
        }
        process.WaitForExit(); // drains the output readers
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"{Describe(start)} exited with {process.ExitCode}:\n{output}");
        lock (output) return output.ToString();
    }

    private static string Describe(ProcessStartInfo start) => $"`{start.FileName} {string.Join(' ', start.ArgumentList)}`";
}
