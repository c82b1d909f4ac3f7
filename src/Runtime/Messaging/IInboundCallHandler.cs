namespace OpenClaw.Runtime;

/// <summary>Takes the calls that arrive on cluster connections (a silo routes them to grains; a client to its observers).</summary>
internal interface IInboundCallHandler
{
    void Handle(InboundCall call);
}
