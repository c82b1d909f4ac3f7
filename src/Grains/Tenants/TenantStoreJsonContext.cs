using System.Text.Json;
using System.Text.Json.Serialization;
using OpenClaw.Grains.Interfaces;

namespace OpenClaw.Grains.Tenants;

/// <summary>Serializer metadata for the tenant registries (the <c>config</c> columns) and the old file store read by the migration.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(TenantConfig))]
[JsonSerializable(typeof(LegacyTenantStoreDocument))]
internal sealed partial class TenantStoreJsonContext : JsonSerializerContext;
