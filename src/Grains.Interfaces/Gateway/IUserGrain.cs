using OpenClaw.Runtime;

namespace OpenClaw.Grains.Interfaces;

/// <summary>
/// One tenant's assistant: its config, workspace, sessions and chat runs. Keyed by tenant id.
/// The edge forwards every protocol request here as a <see cref="GatewayCall"/>; the grain
/// answers with the protocol's payload or error shape and pushes events to subscribed connections.
/// </summary>
public interface IUserGrain : IGrainWithStringKey
{
    /// <summary>
    /// A protocol request, executed as a normal (non-interleaved) turn. Cancelling the token (the
    /// client's socket closed) drops the call if it has not started yet.
    /// </summary>
    Task<GatewayReply> Invoke(GatewayCall call, CancellationToken cancellationToken = default);

    /// <summary>
    /// A protocol request that must not wait behind a running turn (<c>chat.abort</c>,
    /// <c>agent.wait</c>, the final phase of <c>agent</c>).
    /// </summary>
    [AlwaysInterleave]
    Task<GatewayReply> InvokeInterleaved(GatewayCall call, CancellationToken cancellationToken = default);

    /// <summary>
    /// Subscribes (or renews) an observer for this tenant's events: one per edge process, which fans
    /// each event out to the tenant's sockets it holds. Subscriptions expire after
    /// <see cref="TenantEventSubscription.Expiration"/> unless renewed.
    /// </summary>
    Task Subscribe(string subscriberId, ITenantEventObserver observer);

    /// <summary>
    /// Ends a subscriber's subscription, or a closed connection's <c>sessions.subscribe</c>
    /// (connection ids and subscriber ids never collide: both are unique per process and socket).
    /// </summary>
    Task Unsubscribe(string id);

    /// <summary>
    /// An authenticated socket of this tenant opened (sent by the edge after <c>hello-ok</c>, and again
    /// for every socket it still holds when it subscribes anew after the activation moved).
    /// </summary>
    Task ConnectionOpened(GatewayConnectionInfo connection);

    /// <summary>A socket of this tenant closed.</summary>
    Task ConnectionClosed(string connectionId);
}

/// <summary>Receives a tenant's protocol events (one-way, best effort).</summary>
public interface ITenantEventObserver : IGrainObserver
{
    void OnEvent(TenantEvent tenantEvent);
}

public static class TenantEventSubscription
{
    /// <summary>How long a subscription lives without renewal; the edge renews at a third of it.</summary>
    public static readonly TimeSpan Expiration = TimeSpan.FromMinutes(3);

    /// <summary>
    /// Sent by the grain to its subscribers when its activation ends (drain, idle with no sockets,
    /// shutdown): the subscription is gone with it, so an edge that still has sockets subscribes
    /// again, which activates the tenant where placement puts it. Edges never forward it to clients.
    /// </summary>
    public const string ResubscribeEvent = "openclaw.internal.resubscribe";
}
