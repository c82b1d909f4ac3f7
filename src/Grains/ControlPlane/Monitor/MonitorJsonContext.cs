using System.Text.Json;
using System.Text.Json.Serialization;
using OpenClaw.Grains.ControlPlane.Monitor.Webhooks;

namespace OpenClaw.Grains.ControlPlane.Monitor;

/// <summary>Serializer metadata for the monitor's persisted state and its webhook payloads.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull, UseStringEnumConverter = true)]
[JsonSerializable(typeof(MonitorState))]
[JsonSerializable(typeof(AlertWebhookPayload))]
internal sealed partial class MonitorJsonContext : JsonSerializerContext;
