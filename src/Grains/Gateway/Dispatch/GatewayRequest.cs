using OpenClaw.Grains.Interfaces;

namespace OpenClaw.Grains.Gateway;

/// <summary>A call being handled: the protocol call plus its parsed params (valid until the handler's task completes; copy what outlives it).</summary>
internal sealed class GatewayRequest(GatewayCall call, GatewayParams parameters)
{
    public GatewayCall Call { get; } = call;

    public string Method => Call.Method;

    public GatewayParams Params { get; } = parameters;

    public string ConnectionId => Call.ConnectionId;
}
