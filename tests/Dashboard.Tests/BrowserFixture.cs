using PuppeteerSharp;

namespace OpenClaw.Dashboard.Tests;

/// <summary>
/// Debian's chromium, headless. Nothing is downloaded: without <see cref="ExecutablePath"/> the
/// browser tests say so and stop (CI installs it).
/// </summary>
internal static class Browsers
{
    public const string ExecutablePath = "/usr/bin/chromium";

    public static string? MissingReason =>
        File.Exists(ExecutablePath) ? null : $"Skipped: {ExecutablePath} is missing (apt-get install chromium); the dashboard's browser tests need it.";

    public static Task<IBrowser> LaunchAsync() =>
        Puppeteer.LaunchAsync(new LaunchOptions
        {
            ExecutablePath = ExecutablePath,
            Headless = true,
            // CI runs as root, where Chromium's sandbox cannot start.
            Args = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"],
        });
}
