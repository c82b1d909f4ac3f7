namespace OpenClaw.Grains.Nodes;

/// <summary>One exec approval: the request as sent to approvers, and its answer once there is one.</summary>
internal sealed class ExecApproval(string id, string requestJson, string commandText, IReadOnlyList<string> allowedDecisions, long createdAtMs, long expiresAtMs)
{
    public const string AllowOnce = "allow-once";
    public const string AllowAlways = "allow-always";
    public const string Deny = "deny";

    public static readonly IReadOnlyList<string> AllDecisions = [AllowOnce, AllowAlways, Deny];

    public string Id { get; } = id;

    /// <summary>The <c>request</c> object of the events, as JSON text.</summary>
    public string RequestJson { get; } = requestJson;

    /// <summary>What <c>allow-always</c> remembers.</summary>
    public string CommandText { get; } = commandText;

    public IReadOnlyList<string> AllowedDecisions { get; } = allowedDecisions;

    public long CreatedAtMs { get; } = createdAtMs;

    public long ExpiresAtMs { get; } = expiresAtMs;

    /// <summary>The decision, or null while pending (and for an approval that expired).</summary>
    public string? Decision { get; set; }

    public string? ResolvedBy { get; set; }

    public long? ResolvedAtMs { get; set; }

    public bool Expired { get; set; }

    public string Status => Decision is not null ? "resolved" : Expired ? "expired" : "pending";

    /// <summary>Completes with the decision, or null when the approval expired.</summary>
    public TaskCompletionSource<string?> Decided { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
}
