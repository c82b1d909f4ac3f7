using System.Text.Json;
using System.Text.Json.Serialization;
using OpenClaw.Grains.Interfaces;

namespace OpenClaw.Grains.Tenants;

/// <summary>Serializer metadata for the tenant stores (the tenant file and the <c>record</c> jsonb column).</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, WriteIndented = true, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(TenantStoreDocument))]
[JsonSerializable(typeof(TenantRecord))]
internal sealed partial class TenantStoreJsonContext : JsonSerializerContext;
