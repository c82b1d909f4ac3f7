namespace OpenClaw.Silo;

/// <summary>
/// Configuration sources beyond the ASP.NET defaults: the global config file
/// (<c>OPENCLAW_GLOBAL_CONFIG</c>), the service token (<c>OPENCLAW_SERVICE_TOKEN</c>), short
/// command-line switches, and the listening address.
/// </summary>
internal static class SiloConfiguration
{
    public const int DefaultPort = 18789;

    private static readonly Dictionary<string, string> Switches = new()
    {
        ["--port"] = "server:port",
        ["--host"] = "server:host",
        ["--demo-token"] = "demo:token",
        ["--data-dir"] = "storage:dataDirectory",
        ["--storage"] = "storage:provider",
        ["--postgres"] = "storage:postgresConnectionString",
    };

    public static void Apply(WebApplicationBuilder builder, string[] args)
    {
        var configuration = builder.Configuration;
        if (Environment.GetEnvironmentVariable("OPENCLAW_GLOBAL_CONFIG") is { Length: > 0 } globalConfig)
            configuration.AddJsonFile(Path.GetFullPath(globalConfig), optional: false, reloadOnChange: false);

        var fromEnvironment = new Dictionary<string, string?>();
        if (Environment.GetEnvironmentVariable("OPENCLAW_SERVICE_TOKEN") is { Length: > 0 } serviceToken)
            fromEnvironment["multiTenant:serviceToken"] = serviceToken;
        if (Environment.GetEnvironmentVariable("OPENCLAW_DEMO_TOKEN") is { Length: > 0 } demoToken)
            fromEnvironment["demo:token"] = demoToken;
        if (Environment.GetEnvironmentVariable("OPENCLAW_PORT") is { Length: > 0 } port)
            fromEnvironment["server:port"] = port;
        if (Environment.GetEnvironmentVariable("OPENCLAW_DATA_DIR") is { Length: > 0 } dataDir)
            fromEnvironment["storage:dataDirectory"] = dataDir;
        configuration.AddInMemoryCollection(fromEnvironment);
        configuration.AddCommandLine(args, Switches);

        // An explicit --urls / ASPNETCORE_URLS wins; otherwise server:host:port (loopback by default).
        if (string.IsNullOrEmpty(configuration["urls"]))
        {
            var host = configuration["server:host"] ?? "127.0.0.1";
            var listenPort = configuration.GetValue("server:port", DefaultPort);
            builder.WebHost.UseUrls($"http://{host}:{listenPort}");
        }
    }
}
