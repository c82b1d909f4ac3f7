using System.Collections.Frozen;
using Microsoft.AspNetCore.Http;

namespace OpenClaw.Operations.Dashboard;

/// <summary>
/// The dashboard's static files, embedded in this assembly (no files on disk, no CDN, no build
/// step). Only the names listed here are served.
/// </summary>
internal static class DashboardAssets
{
    public const string Page = "dashboard.html";
    public const string LoginPage = "login.html";

    private static readonly FrozenDictionary<string, (string ContentType, byte[] Content)> Files = new[]
    {
        (Page, "text/html; charset=utf-8"),
        (LoginPage, "text/html; charset=utf-8"),
        ("dashboard.js", "text/javascript; charset=utf-8"),
        ("dashboard.css", "text/css; charset=utf-8"),
    }.ToFrozenDictionary(f => f.Item1, f => (f.Item2, Load(f.Item1)), StringComparer.Ordinal);

    public static IResult Serve(string name) =>
        Files.TryGetValue(name, out var file) ? Results.Bytes(file.Content, file.ContentType) : Results.NotFound();

    private static byte[] Load(string name)
    {
        using var stream = typeof(DashboardAssets).Assembly.GetManifestResourceStream("OpenClaw.Operations.Dashboard." + name)
            ?? throw new InvalidOperationException($"The dashboard asset {name} is not embedded in {typeof(DashboardAssets).Assembly.GetName().Name}.");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}
