namespace OpenClaw.Grains.Agent;

/// <summary>A clear refusal or failure of a tool call, shown to the model as the tool's error result.</summary>
internal sealed class AgentToolException(string message, string? code = null) : Exception(message)
{
    /// <summary>A machine-readable code for <c>details.gatewayCode</c> (for example <c>NODE_NOT_CONNECTED</c>), if any.</summary>
    public string? Code { get; } = code;
}
