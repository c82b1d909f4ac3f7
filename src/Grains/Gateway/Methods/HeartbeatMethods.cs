using OpenClaw.Grains.Gateway.Cron;
using OpenClaw.Grains.Interfaces;

namespace OpenClaw.Grains.Gateway;

/// <summary><c>last-heartbeat</c> (read), <c>set-heartbeats</c> (admin), <c>wake</c> (write) and <c>system-event</c> (admin).</summary>
internal sealed class HeartbeatMethods(GatewayContext context) : IGatewayMethodGroup
{
    public void Register(GatewayMethodTable table)
    {
        table.Add("last-heartbeat", Last);
        table.Add("set-heartbeats", Set);
        table.Add("wake", Wake);
        table.Add("system-event", SystemEvent);
    }

    private Task<GatewayReply> Last(GatewayRequest request) =>
        Task.FromResult(GatewayReply.Success(context.Cron.State.LastHeartbeatJson ?? "null"));

    private async Task<GatewayReply> Set(GatewayRequest request)
    {
        var enabled = request.Params.OptionalBoolean("enabled") ?? throw new GatewayParamsException("must have required property 'enabled'");
        var profile = context.State.Profile;
        var previous = profile.Config.Heartbeat;
        var updated = previous?.Copy() ?? new HeartbeatConfig();
        updated.Enabled = enabled;
        profile.Config.Heartbeat = updated;
        context.State.MarkProfileDirty();
        if (!await context.TrySaveAsync("set-heartbeats"))
        {
            profile.Config.Heartbeat = previous;
            return GatewayReplies.Unavailable("the heartbeat setting could not be saved; try again", retryable: true, retryAfterMs: 1000);
        }

        await context.Cron.HeartbeatConfigChangedAsync();
        return GatewayReply.Success(JsonPayload.Object(writer =>
        {
            writer.WriteBoolean("ok", true);
            writer.WriteBoolean("enabled", enabled);
        }));
    }

    private async Task<GatewayReply> Wake(GatewayRequest request)
    {
        var mode = Mode(request.Params, required: true);
        var text = request.Params.RequiredString("text", context.Options.Cron.MaxTextChars);
        SessionParams.OptionalKey(request, context, "sessionKey");
        SessionParams.AgentId(request, context);
        await context.Cron.WakeAsync(text, now: mode == CronJobRules.WakeNow, "wake");
        return GatewayReply.Success(JsonPayload.Object(writer => writer.WriteBoolean("ok", true)));
    }

    private async Task<GatewayReply> SystemEvent(GatewayRequest request)
    {
        var text = request.Params.RequiredString("text", context.Options.Cron.MaxTextChars, allowEmpty: false);
        var mode = Mode(request.Params, required: false) ?? CronJobRules.WakeNextHeartbeat;
        SessionParams.OptionalKey(request, context, "sessionKey");
        await context.Cron.WakeAsync(text, now: mode == CronJobRules.WakeNow, "system-event");
        return GatewayReply.Success(JsonPayload.Object(writer => writer.WriteBoolean("ok", true)));
    }

    private static string? Mode(GatewayParams parameters, bool required)
    {
        var mode = required ? parameters.RequiredString("mode", 32) : parameters.OptionalString("mode", 32);
        return mode is null or CronJobRules.WakeNow or CronJobRules.WakeNextHeartbeat
            ? mode
            : throw new GatewayParamsException($"'mode' must be \"now\" or \"next-heartbeat\", not \"{CronText.Clip(mode, 40)}\"");
    }
}
