namespace OpenClaw.Grains.Llm;

/// <summary>
/// A provider call failed: HTTP error, error event in the stream, malformed stream, missing key,
/// unreachable endpoint or timeout. The message is safe to show to the tenant: it never contains
/// the API key.
/// </summary>
public sealed class LlmProviderException(string message, int? statusCode = null, Exception? inner = null)
    : Exception(message, inner)
{
    /// <summary>The HTTP status code of the provider's response, when the failure was an HTTP error.</summary>
    public int? StatusCode { get; } = statusCode;
}
