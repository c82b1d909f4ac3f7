namespace OpenClaw.Grains.Llm;

/// <summary>
/// Where a request goes: the provider's name (<c>openai</c>, <c>anthropic</c>, <c>echo</c>), an
/// optional base URL (the provider's public API when null) and the API key.
/// </summary>
public sealed record LlmEndpoint(string Provider, string? BaseUrl, string? ApiKey)
{
    /// <summary>Why there is no <see cref="ApiKey"/>, told to the tenant when the provider needs one (null: none configured).</summary>
    public string? MissingKeyReason { get; init; }

    /// <summary>Never prints the key.</summary>
    public override string ToString() =>
        $"LlmEndpoint {{ Provider = {Provider}, BaseUrl = {BaseUrl ?? "(default)"}, ApiKey = {(ApiKey is null ? "(none)" : "***")} }}";
}
