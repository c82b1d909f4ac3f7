using OpenClaw.Grains.Interfaces;

namespace OpenClaw.Grains.Gateway;

/// <summary>Handles one protocol method. Throws <see cref="GatewayParamsException"/> for bad params.</summary>
internal delegate Task<GatewayReply> GatewayMethodHandler(GatewayRequest request);
