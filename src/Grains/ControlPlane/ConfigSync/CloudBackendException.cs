namespace OpenClaw.Grains.ControlPlane.ConfigSync;

/// <summary>
/// A sync request that failed: the backend could not be reached, answered with an error status,
/// too slowly, too much, or with a body that does not follow the contract. The message is safe to
/// show operators (it never holds the service token, an API key or a token hash).
/// </summary>
public sealed class CloudBackendException(string message, Exception? innerException = null) : Exception(message, innerException);
