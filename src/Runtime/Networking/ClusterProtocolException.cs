namespace OpenClaw.Runtime;

/// <summary>A peer sent something that is not a valid frame: the connection is dropped.</summary>
internal sealed class ClusterProtocolException(string message) : Exception(message);
