using OpenClaw.EdgeGateway;
using OpenClaw.Operations;
using OpenClaw.Silo;
using OpenClaw.Silo.Telemetry;

// One process, zero setup: the silo (runtime + tenant grains, embedded storage) and the edge.
// `dotnet run --project src/Silo` prints the ws URL and the demo tenant's token. With
// `--storage postgres --postgres "…" --cluster:enabled true` it is one silo of a cluster.
var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args });
SiloConfiguration.Apply(builder, args);
builder.Services.AddOpenClawSilo(builder.Configuration);

await using var app = builder.Build();
if (await StartupChecks.RunAsync(app.Services, CancellationToken.None) is { } problem)
{
    // Something only the operator can fix (a damaged tenant store file, an unusable data directory): one line, no stack trace.
    await Console.Error.WriteLineAsync($"openclaw-silo: cannot start: {problem}");
    return 1;
}

app.MapHealth();
app.MapSiloTelemetry();
app.MapOperatorEndpoints();
if (SiloHostSettings.HostsEdge(app.Configuration)) app.MapEdgeGateway();
StartupBanner.Register(app);
await app.RunAsync();
return 0;

/// <summary>Lets tests start the real silo with WebApplicationFactory-style access.</summary>
public partial class Program;
