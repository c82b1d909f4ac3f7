using System.Text.Json;
using System.Text.Json.Serialization;

namespace OpenClaw.Grains.Interfaces;

/// <summary>Serializer metadata for the control-plane grains' arguments and results.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull, UseStringEnumConverter = true)]
[JsonSerializable(typeof(ConfigSyncStatus))]
[JsonSerializable(typeof(AlertRecord))]
[JsonSerializable(typeof(IReadOnlyList<AlertRecord>))]
[JsonSerializable(typeof(ClusterStatsSnapshot))]
[JsonSerializable(typeof(SiloStats))]
public sealed partial class ControlPlaneJsonContext : JsonSerializerContext;
