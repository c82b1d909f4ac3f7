using OpenClaw.Grains.Interfaces;

namespace OpenClaw.Grains.Gateway;

/// <summary><c>sessions.list</c>, <c>.subscribe</c>, <c>.unsubscribe</c>, <c>.describe</c>, <c>.reset</c>, <c>.delete</c>.</summary>
internal sealed class SessionMethods(GatewayContext context) : IGatewayMethodGroup
{
    private const int DefaultListLimit = 100; // the reference gateway's limitApplied for sessions.list {}
    private const int MaxListLimit = 1000;

    public void Register(GatewayMethodTable table)
    {
        table.Add("sessions.list", List);
        table.Add("sessions.subscribe", Subscribe);
        table.Add("sessions.unsubscribe", Unsubscribe);
        table.Add("sessions.describe", Describe);
        table.Add("sessions.reset", Reset);
        table.Add("sessions.delete", Delete);
    }

    private Task<GatewayReply> List(GatewayRequest request)
    {
        var parameters = request.Params;
        var limit = (int)(parameters.OptionalInteger("limit", 1, MaxListLimit) ?? DefaultListLimit);
        var offset = (int)(parameters.OptionalInteger("offset", 0, int.MaxValue) ?? 0);
        var agentId = SessionParams.AgentId(request, context);
        var search = parameters.OptionalString("search", 512);
        var label = parameters.OptionalString("label", 512);
        var activeMinutes = parameters.OptionalInteger("activeMinutes", 1, 10_000_000);
        var archived = parameters.OptionalBoolean("archived") ?? false;
        parameters.OptionalBoolean("includeLastMessage");

        var now = context.NowMs();
        var matching = archived
            ? []
            : context.Sessions.ListByRecency()
                .Where(session => session.AgentId == agentId)
                .Where(session => search is null
                    || session.Key.Contains(search, StringComparison.OrdinalIgnoreCase)
                    || (session.Label?.Contains(search, StringComparison.OrdinalIgnoreCase) ?? false))
                .Where(session => label is null || session.Label == label)
                .Where(session => activeMinutes is null || now - session.UpdatedAt <= activeMinutes.Value * 60_000)
                .ToList();
        var page = matching.Skip(offset).Take(limit).ToList();
        var hasMore = offset + page.Count < matching.Count;

        var payload = JsonPayload.Object(writer =>
        {
            writer.WriteNumber("ts", now);
            writer.WriteString("path", context.SessionsPath);
            writer.WriteNumber("count", page.Count);
            writer.WriteNumber("totalCount", matching.Count);
            writer.WriteNumber("limitApplied", limit);
            writer.WriteNumberOrNull("nextOffset", hasMore ? offset + page.Count : null);
            writer.WriteBoolean("hasMore", hasMore);
            writer.WriteEmptyArray("owners");
            ModelDefaultsWriter.WriteDefaults(writer, context);
            writer.WriteStartArray("sessions");
            foreach (var session in page)
            {
                SessionRowWriter.Write(writer, context, KeyOf(session), session);
            }

            writer.WriteEndArray();
        });
        return Task.FromResult(GatewayReply.Success(payload));
    }

    private Task<GatewayReply> Subscribe(GatewayRequest request)
    {
        context.Events.SetSessionSubscription(request.ConnectionId, subscribed: true);
        return Task.FromResult(GatewayReply.Success("""{"subscribed":true}"""));
    }

    private Task<GatewayReply> Unsubscribe(GatewayRequest request)
    {
        context.Events.SetSessionSubscription(request.ConnectionId, subscribed: false);
        return Task.FromResult(GatewayReply.Success("""{"subscribed":false}"""));
    }

    private Task<GatewayReply> Describe(GatewayRequest request)
    {
        var key = SessionParams.RequiredKey(request, context, "key");
        var payload = JsonPayload.Object(writer =>
            SessionRowWriter.Write(writer, "session", context, key, context.Sessions.Find(key)));
        return Task.FromResult(GatewayReply.Success(payload));
    }

    /// <summary>Aborts the session's runs, empties its transcript and gives it a new session id.</summary>
    private async Task<GatewayReply> Reset(GatewayRequest request)
    {
        var key = SessionParams.RequiredKey(request, context, "key");
        request.Params.OptionalString("reason", 64);

        await context.Runs.AbortAsync(key, runId: null, stopReason: "reset");
        var session = context.Sessions.Reset(key);
        context.Runs.Events.SessionChanged(key, session, reason: "reset");
        await context.TrySaveAsync("sessions.reset");

        return GatewayReply.Success(JsonPayload.Object(writer =>
        {
            writer.WriteBoolean("ok", true);
            writer.WriteString("key", key.Value);
            SessionRowWriter.Write(writer, "entry", context, key, session);
        }));
    }

    /// <summary>Aborts the session's runs and removes it; the main session can only be reset.</summary>
    private async Task<GatewayReply> Delete(GatewayRequest request)
    {
        var key = SessionParams.RequiredKey(request, context, "key");
        request.Params.OptionalBoolean("deleteTranscript");
        if (key.Equals(context.MainSessionKey))
        {
            return GatewayReply.Failure(GatewayError.InvalidRequest(
                $"Cannot delete the main session ({key.Value}); reset it instead."));
        }

        await context.Runs.AbortAsync(key, runId: null, stopReason: "delete");
        var deleted = context.Sessions.Delete(key);
        if (deleted)
        {
            context.Runs.Events.SessionChanged(key, session: null, reason: "delete");
            await context.TrySaveAsync("sessions.delete");
        }

        return GatewayReply.Success(JsonPayload.Object(writer =>
        {
            writer.WriteBoolean("ok", true);
            writer.WriteString("key", key.Value);
            writer.WriteBoolean("deleted", deleted);
            writer.WriteEmptyArray("archived");
        }));
    }

    private static SessionKey KeyOf(SessionRecord session) =>
        SessionKey.TryParse(session.Key, out _) ?? SessionKey.Main(session.AgentId);
}
