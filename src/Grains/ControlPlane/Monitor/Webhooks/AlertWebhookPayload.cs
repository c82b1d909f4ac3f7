using OpenClaw.Grains.Interfaces;

namespace OpenClaw.Grains.ControlPlane.Monitor.Webhooks;

/// <summary>
/// The body of a <c>json</c> webhook. <see cref="Event"/> is <c>alert.raised</c> or
/// <c>alert.resolved</c>; <see cref="DeliveryId"/> is the same on every retry of one delivery, so a
/// receiver can drop duplicates.
/// </summary>
public sealed record AlertWebhookPayload
{
    public const string RaisedEvent = "alert.raised";
    public const string ResolvedEvent = "alert.resolved";

    public required string Event { get; init; }
    public required string DeliveryId { get; init; }
    public required AlertRecord Alert { get; init; }

    /// <summary>The value at the evaluation that raised or resolved it (absent when the subject went away).</summary>
    public double? CurrentValue { get; init; }
    public string CurrentMessage { get; init; } = "";

    public static string EventName(AlertTransitionKind kind) => kind == AlertTransitionKind.Raised ? RaisedEvent : ResolvedEvent;
}
