using System.Globalization;
using System.Text.Json;
using OpenClaw.Grains.Interfaces;

namespace OpenClaw.Grains.ControlPlane.Monitor.Webhooks;

/// <summary>Writes the body of a webhook delivery in the webhook's format.</summary>
internal static class AlertPayloadWriter
{
    public static byte[] Write(AlertWebhookFormat format, AlertTransition transition, string deliveryId) => format switch
    {
        AlertWebhookFormat.Slack => WriteSlack(transition),
        _ => JsonSerializer.SerializeToUtf8Bytes(new AlertWebhookPayload
        {
            Event = AlertWebhookPayload.EventName(transition.Kind),
            DeliveryId = deliveryId,
            Alert = transition.Alert,
            CurrentValue = transition.CurrentValue,
            CurrentMessage = transition.CurrentMessage,
        }, MonitorJsonContext.Default.AlertWebhookPayload),
    };

    /// <summary>
    /// A Slack incoming-webhook message: <c>text</c> (the notification and fallback line) and
    /// <c>blocks</c> (header, section with fields, context). Everything that comes from outside
    /// is escaped for Slack's mrkdwn, so an error message cannot mention <c>&lt;!channel&gt;</c> or
    /// smuggle a link.
    /// </summary>
    private static byte[] WriteSlack(AlertTransition transition)
    {
        var alert = transition.Alert;
        var raised = transition.Kind == AlertTransitionKind.Raised;
        var headline = raised
            ? $"{Icon(alert.Severity)} {alert.Severity} alert: {alert.Rule} on {alert.Subject}"
            : $":white_check_mark: Resolved: {alert.Rule} on {alert.Subject}";
        var detail = raised ? alert.Message : (transition.CurrentMessage.Length > 0 ? transition.CurrentMessage : alert.Message);

        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("text", Escape($"{headline}: {detail}"));
            json.WriteStartArray("blocks");

            json.WriteStartObject();
            json.WriteString("type", "header");
            WriteText(json, "text", "plain_text", Cut(headline, 150));
            json.WriteEndObject();

            json.WriteStartObject();
            json.WriteString("type", "section");
            WriteText(json, "text", "mrkdwn", Cut(Escape(detail), 3000));
            json.WriteStartArray("fields");
            WriteText(json, null, "mrkdwn", $"*Severity*\n{alert.Severity}");
            WriteText(json, null, "mrkdwn", $"*Subject*\n{Cut(Escape(alert.Subject), 200)}");
            WriteText(json, null, "mrkdwn", $"*Value*\n{Number(raised ? alert.Value : transition.CurrentValue)} (threshold {Number(alert.Threshold)})");
            WriteText(json, null, "mrkdwn", raised
                ? $"*Raised*\n{Time(alert.RaisedAt)}"
                : $"*Raised / resolved*\n{Time(alert.RaisedAt)} / {Time(alert.ResolvedAt)}");
            json.WriteEndArray();
            json.WriteEndObject();

            json.WriteStartObject();
            json.WriteString("type", "context");
            json.WriteStartArray("elements");
            WriteText(json, null, "mrkdwn", $"OpenClaw cluster monitor · alert {Escape(alert.Id)} · rule {Escape(alert.Rule)}");
            json.WriteEndArray();
            json.WriteEndObject();

            json.WriteEndArray();
            json.WriteEndObject();
        }

        return buffer.ToArray();
    }

    private static void WriteText(Utf8JsonWriter json, string? property, string type, string text)
    {
        if (property is null) json.WriteStartObject();
        else json.WriteStartObject(property);
        json.WriteString("type", type);
        json.WriteString("text", text);
        json.WriteEndObject();
    }

    /// <summary>Slack's three control characters in mrkdwn.</summary>
    internal static string Escape(string text) =>
        text.Replace("&", "&amp;", StringComparison.Ordinal).Replace("<", "&lt;", StringComparison.Ordinal).Replace(">", "&gt;", StringComparison.Ordinal);

    private static string Cut(string text, int max) => text.Length <= max ? text : text[..(max - 1)] + "…";

    private static string Icon(AlertSeverity severity) => severity switch
    {
        AlertSeverity.Critical => ":rotating_light:",
        AlertSeverity.Warning => ":warning:",
        _ => ":information_source:",
    };

    private static string Number(double? value) => value is { } v ? v.ToString("0.##", CultureInfo.InvariantCulture) : "n/a";

    private static string Time(DateTimeOffset? at) => at?.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture) ?? "n/a";
}
