using System.Text.Json;
using System.Text.Json.Serialization;

namespace OpenClaw.Grains.Interfaces;

/// <summary>Serializer metadata for everything that crosses the tenant grains' boundary.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(GatewayCall))]
[JsonSerializable(typeof(GatewayReply))]
[JsonSerializable(typeof(GatewayError))]
[JsonSerializable(typeof(TenantEvent))]
[JsonSerializable(typeof(TenantRecord))]
[JsonSerializable(typeof(TenantConfig))]
public sealed partial class GrainsInterfacesJsonContext : JsonSerializerContext;
