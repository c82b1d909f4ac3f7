using System.Globalization;
using System.Text;
using OpenClaw.Grains.Interfaces;

namespace OpenClaw.Grains.Gateway;

/// <summary>
/// The per-tenant limit on stored bytes (<see cref="UserGrainOptions.MaxStoredBytes"/>): a new
/// prompt that would take the tenant's records over it is refused, not retryable, with what to do
/// about it. Only new prompts are refused; answers to prompts already accepted are always stored.
/// </summary>
internal static class StorageQuota
{
    public const string ErrorCode = "STORAGE_QUOTA_EXCEEDED";

    /// <summary>The refusal for <paramref name="prompt"/>, or null when it fits.</summary>
    public static GatewayReply? Refusal(GatewayContext context, string prompt)
    {
        var stored = context.State.StoredBytes;
        var limit = context.Options.MaxStoredBytes;
        if (stored + Encoding.UTF8.GetByteCount(prompt) <= limit)
        {
            return null;
        }

        var message = string.Format(CultureInfo.InvariantCulture,
            "this tenant's stored sessions take {0:0.0} MiB of the {1:0.0} MiB allowed, so new messages are refused; " +
            "free space by deleting sessions you no longer need (sessions.delete) or resetting them (sessions.reset)",
            stored / 1048576.0, limit / 1048576.0);
        return GatewayReply.Failure(GatewayError.Unavailable(message, JsonPayload.Object(writer =>
        {
            writer.WriteString("code", ErrorCode);
            writer.WriteNumber("storedBytes", stored);
            writer.WriteNumber("maxStoredBytes", limit);
        })) with { Retryable = false });
    }
}
