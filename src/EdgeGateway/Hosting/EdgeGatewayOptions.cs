namespace OpenClaw.EdgeGateway;

/// <summary>
/// Settings of the WebSocket edge, bound from the <c>edge</c> configuration section. Every
/// default is a named constant; the protocol values (tick, payload limits, handshake timeout)
/// default to what the official OpenClaw gateway uses so that unchanged clients behave the same.
/// </summary>
public sealed class EdgeGatewayOptions
{
    /// <summary>The configuration section the host binds (<c>edge</c>).</summary>
    public const string SectionName = "edge";

    public const string DefaultPath = "/";
    public const int DefaultTickIntervalMs = 30_000;
    public const int DefaultHandshakeTimeoutMs = 15_000;
    public const int DefaultMaxPreAuthPayloadBytes = 65_536;
    public const int DefaultMaxPayloadBytes = 26_214_400;
    public const long DefaultMaxBufferedBytes = 52_428_800;
    public const int DefaultRequestTimeoutMs = 30_000;
    public const int DefaultLongRequestTimeoutMs = 900_000;
    public const string DefaultServerVersion = "2026.9.6";
    public const int DefaultTokenCacheTtlMs = 5_000;
    public const int DefaultTokenNegativeCacheTtlMs = 1_000;
    public const int DefaultTokenCacheMaxEntries = 10_000;
    public const int MaxTokenCacheTtlMs = 60_000;
    public const int DefaultAuthFailureBurst = 10;
    public const int DefaultAuthFailureIntervalMs = 6_000;
    public const int DefaultAuthGlobalFailureBurst = 100;
    public const int DefaultAuthGlobalFailureIntervalMs = 100;
    public const int DefaultAuthMaxDelayMs = 5_000;
    public const int DefaultMaxConnectionsPerTenant = 64;
    public const int DefaultMaxRequestsInFlightPerTenant = 256;
    public const long DefaultMaxBytesInFlightPerTenant = 64L * 1024 * 1024;
    public const int DefaultMaxParamsBytes = 256 * 1024;
    public const int DefaultMaxMessageParamsBytes = 1024 * 1024;
    public const int DefaultKeepAliveIntervalMs = 25_000;
    public const int DefaultKeepAliveTimeoutMs = 25_000;
    public const int DefaultMaxConcurrentRequestsPerConnection = 256;
    public const int DefaultCloseTimeoutMs = 5_000;
    public const int DefaultRestartExpectedMs = 5_000;
    public const int DefaultShutdownDrainMs = 5_000;
    public const int DefaultSiloFailoverWaitMs = 15_000;

    /// <summary>Request path of the WebSocket endpoint. OpenClaw clients connect to <c>/</c>.</summary>
    public string Path { get; set; } = DefaultPath;

    /// <summary>Interval of the <c>tick</c> keepalive event (hello-ok <c>policy.tickIntervalMs</c>).</summary>
    public int TickIntervalMs { get; set; } = DefaultTickIntervalMs;

    /// <summary>Time a socket has to complete the connect handshake; then it is closed with 1008.</summary>
    public int HandshakeTimeoutMs { get; set; } = DefaultHandshakeTimeoutMs;

    /// <summary>Largest frame accepted before the handshake succeeds; larger ones close the socket with 1009.</summary>
    public int MaxPreAuthPayloadBytes { get; set; } = DefaultMaxPreAuthPayloadBytes;

    /// <summary>Largest frame accepted after the handshake (hello-ok <c>policy.maxPayload</c>); larger ones close with 1009.</summary>
    public int MaxPayloadBytes { get; set; } = DefaultMaxPayloadBytes;

    /// <summary>Outgoing bytes a socket may have queued; above it the socket is closed 1008 "slow consumer".</summary>
    public long MaxBufferedBytes { get; set; } = DefaultMaxBufferedBytes;

    /// <summary>
    /// How long the edge waits for one grain call before replying UNAVAILABLE (retryable). Must be
    /// longer than the grain's per-call wait (<c>MaxCallWait</c>, 10 s): each re-ask of
    /// <c>agent.wait</c> and of the final <c>agent</c> response is one such call.
    /// </summary>
    public int RequestTimeoutMs { get; set; } = DefaultRequestTimeoutMs;

    /// <summary>
    /// Longest the edge keeps asking for a run to finish: the final response of <c>agent</c>, and
    /// <c>agent.wait</c> (which also stops at the client's <c>timeoutMs</c>).
    /// </summary>
    public int LongRequestTimeoutMs { get; set; } = DefaultLongRequestTimeoutMs;

    /// <summary>Reported as hello-ok <c>server.version</c>: the OpenClaw release whose protocol the edge speaks.</summary>
    public string ServerVersion { get; set; } = DefaultServerVersion;

    /// <summary>
    /// How long a token → tenant answer is cached. This bounds how late a revocation is noticed by
    /// new connects (at most this long) and by open sockets (at most one subscription renewal
    /// interval plus this long). Capped at <see cref="MaxTokenCacheTtlMs"/>; 0 disables caching.
    /// </summary>
    public int TokenCacheTtlMs { get; set; } = DefaultTokenCacheTtlMs;

    /// <summary>How long an unknown token is remembered as unknown (a newly issued token works after at most this long).</summary>
    public int TokenNegativeCacheTtlMs { get; set; } = DefaultTokenNegativeCacheTtlMs;

    /// <summary>Bound on cached token answers (memory bound under token guessing).</summary>
    public int TokenCacheMaxEntries { get; set; } = DefaultTokenCacheMaxEntries;

    /// <summary>Failed connects one client address may make at once before its connects are spaced out.</summary>
    public int AuthFailureBurst { get; set; } = DefaultAuthFailureBurst;

    /// <summary>
    /// After the burst, one connect per this interval is checked for the address (a failed one
    /// uses the slot up; a successful one gives it back). Failures are forgiven at this rate too;
    /// a success never clears them.
    /// </summary>
    public int AuthFailureIntervalMs { get; set; } = DefaultAuthFailureIntervalMs;

    /// <summary>Failed connects the whole edge absorbs at once from addresses that already failed.</summary>
    public int AuthGlobalFailureBurst { get; set; } = DefaultAuthGlobalFailureBurst;

    /// <summary>After the global burst, one connect per this interval from a failing address is checked, edge-wide.</summary>
    public int AuthGlobalFailureIntervalMs { get; set; } = DefaultAuthGlobalFailureIntervalMs;

    /// <summary>
    /// Longest a connect is held waiting for its slot before its token is checked; one that would
    /// wait longer gets AUTH_RATE_LIMITED with <c>retryAfterMs</c> at once. Below <see cref="HandshakeTimeoutMs"/>.
    /// </summary>
    public int AuthMaxDelayMs { get; set; } = DefaultAuthMaxDelayMs;

    /// <summary>
    /// Peers (addresses or CIDR networks such as <c>10.0.0.0/8</c>) whose <c>X-Forwarded-For</c>
    /// header names the client. Default none: the socket's remote address is the client's.
    /// </summary>
    public List<string> TrustedProxies { get; set; } = [];

    /// <summary>Open sockets one tenant may have on this edge; more connects are refused (UNAVAILABLE, close 1013).</summary>
    public int MaxConnectionsPerTenant { get; set; } = DefaultMaxConnectionsPerTenant;

    /// <summary>Requests one tenant may have in flight across its sockets; more are answered UNAVAILABLE (retryable) without reaching the grain.</summary>
    public int MaxRequestsInFlightPerTenant { get; set; } = DefaultMaxRequestsInFlightPerTenant;

    /// <summary>
    /// Bytes one tenant may hold on this edge: request frames in flight plus responses and events
    /// queued on its sockets. New requests are refused once it would pass half of this, and over it
    /// the tenant's slowest socket is closed 1008 "slow consumer". At least twice <see cref="MaxPayloadBytes"/>.
    /// </summary>
    public long MaxBytesInFlightPerTenant { get; set; } = DefaultMaxBytesInFlightPerTenant;

    /// <summary>Largest <c>params</c> of a method not listed as small or as a message method (<c>config.patch</c>, unknown methods).</summary>
    public int MaxParamsBytes { get; set; } = DefaultMaxParamsBytes;

    /// <summary>Largest <c>params</c> of <c>chat.send</c> and <c>agent</c> (the message; the grain allows 100 000 characters).</summary>
    public int MaxMessageParamsBytes { get; set; } = DefaultMaxMessageParamsBytes;

    /// <summary>
    /// Interval at which a socket renews its event subscription and re-checks its token. 0 (the
    /// default) means <c>TenantEventSubscription.Expiration / 3</c>.
    /// </summary>
    public int SubscriptionRenewalIntervalMs { get; set; }

    /// <summary>WebSocket ping interval (the real gateway pings authenticated sockets, 25 s pong window).</summary>
    public int KeepAliveIntervalMs { get; set; } = DefaultKeepAliveIntervalMs;

    /// <summary>Time to wait for the pong before the socket is aborted; 0 disables the check.</summary>
    public int KeepAliveTimeoutMs { get; set; } = DefaultKeepAliveTimeoutMs;

    /// <summary>Requests one socket may have in flight; more are answered UNAVAILABLE (retryable).</summary>
    public int MaxConcurrentRequestsPerConnection { get; set; } = DefaultMaxConcurrentRequestsPerConnection;

    /// <summary>Time the peer has to answer our close frame (or to drain a stuck send) before the socket is aborted.</summary>
    public int CloseTimeoutMs { get; set; } = DefaultCloseTimeoutMs;

    /// <summary>
    /// How long a request keeps being retried while the silo holding its tenant is unreachable
    /// (crashed or leaving): the cluster moves the tenant within its failure-detection time (6-8 s
    /// with the default <c>cluster</c> options), so clients see a slower answer instead of an error.
    /// 0 disables the retry.
    /// </summary>
    public int SiloFailoverWaitMs { get; set; } = DefaultSiloFailoverWaitMs;

    /// <summary><c>restartExpectedMs</c> sent in the <c>shutdown</c> event when the host stops.</summary>
    public int RestartExpectedMs { get; set; } = DefaultRestartExpectedMs;

    /// <summary>
    /// When the host stops, how long a socket that got the <c>shutdown</c> event may keep waiting for
    /// the answers to the requests it already sent before it is closed with 1012 (requests it sends
    /// after the event are answered UNAVAILABLE, retryable). 0 closes at once.
    /// </summary>
    public int ShutdownDrainMs { get; set; } = DefaultShutdownDrainMs;

    internal TimeSpan EffectiveSubscriptionRenewalInterval =>
        SubscriptionRenewalIntervalMs > 0
            ? TimeSpan.FromMilliseconds(SubscriptionRenewalIntervalMs)
            : Grains.Interfaces.TenantEventSubscription.Expiration / 3;
}
