namespace OpenClaw.Silo.Tests.Telemetry;

/// <summary>
/// Telemetry tests run alone: an OpenTelemetry meter provider listens to every meter of its name in
/// the process, so another test's silo running alongside would add its series to this one's scrape.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class TelemetryCollection
{
    public const string Name = "Telemetry (runs alone)";
}
