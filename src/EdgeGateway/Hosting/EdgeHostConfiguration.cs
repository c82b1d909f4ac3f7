using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;

namespace OpenClaw.EdgeGateway.Hosting;

/// <summary>The edge process's configuration sources, with the silo's names: global config file, environment, short switches, listening address.</summary>
internal static class EdgeHostConfiguration
{
    private static readonly Dictionary<string, string> Switches = new()
    {
        ["--port"] = "server:port",
        ["--host"] = "server:host",
        ["--postgres"] = "storage:postgresConnectionString",
    };

    public static void Apply(WebApplicationBuilder builder, string[] args)
    {
        var configuration = builder.Configuration;
        if (Environment.GetEnvironmentVariable("OPENCLAW_GLOBAL_CONFIG") is { Length: > 0 } globalConfig)
            configuration.AddJsonFile(Path.GetFullPath(globalConfig), optional: false, reloadOnChange: false);
        var fromEnvironment = new Dictionary<string, string?>();
        if (Environment.GetEnvironmentVariable("OPENCLAW_PORT") is { Length: > 0 } port) fromEnvironment["server:port"] = port;
        if (Environment.GetEnvironmentVariable("OPENCLAW_SERVICE_TOKEN") is { Length: > 0 } serviceToken) fromEnvironment["multiTenant:serviceToken"] = serviceToken;
        configuration.AddInMemoryCollection(fromEnvironment);
        configuration.AddCommandLine(args, Switches);
        if (string.IsNullOrEmpty(configuration["urls"]))
        {
            var host = configuration["server:host"] ?? "127.0.0.1";
            var listenPort = configuration.GetValue("server:port", EdgeProgram.DefaultPort);
            builder.WebHost.UseUrls($"http://{host}:{listenPort}");
        }
    }
}
