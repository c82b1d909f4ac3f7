namespace OpenClaw.Grains.Gateway;

/// <summary>
/// A request's params are malformed. The dispatcher turns it into
/// <c>INVALID_REQUEST "invalid &lt;method&gt; params: &lt;Message&gt;"</c>; it never leaves the grain.
/// </summary>
internal sealed class GatewayParamsException(string message) : Exception(message);
