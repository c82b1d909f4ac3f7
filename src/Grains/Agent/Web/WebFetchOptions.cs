namespace OpenClaw.Grains.Agent.Web;

/// <summary>Limits of the <c>web_fetch</c> tool (configuration section <c>tools:webFetch</c>).</summary>
public sealed class WebFetchOptions
{
    public const string SectionName = "tools:webFetch";

    public const int DefaultMaxResponseBytes = 750_000;
    public const int DefaultMaxChars = 20_000;
    public const int DefaultMaxCharsLimit = 100_000;
    public const int MinChars = 100;
    public const int DefaultMaxRedirects = 3;
    public const int MaxUrlLength = 4096;
    public const int DefaultMaxConcurrentPerTenant = 4;
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(30);

    /// <summary>Bytes of a response body read at most (decompression is off, so these are the bytes on the wire); the rest is cut.</summary>
    public int MaxResponseBytes { get; set; } = DefaultMaxResponseBytes;

    /// <summary>Characters of extracted text returned when the call does not ask for <c>maxChars</c>.</summary>
    public int DefaultChars { get; set; } = DefaultMaxChars;

    /// <summary>The most characters a call may ask for with <c>maxChars</c> (larger requests are lowered to this).</summary>
    public int MaxChars { get; set; } = DefaultMaxCharsLimit;

    /// <summary>Redirects followed (each target checked again); one more is refused.</summary>
    public int MaxRedirects { get; set; } = DefaultMaxRedirects;

    /// <summary>The whole fetch (every redirect and the body) must end within this.</summary>
    public TimeSpan Timeout { get; set; } = DefaultTimeout;

    /// <summary>Fetches one tenant may have in progress at once (over all its runs); more are refused until one ends.</summary>
    public int MaxConcurrentPerTenant { get; set; } = DefaultMaxConcurrentPerTenant;

    /// <summary>Sent as <c>User-Agent</c>.</summary>
    public string UserAgent { get; set; } = "Mozilla/5.0 (compatible; OpenClaw-Gateway web_fetch)";
}
