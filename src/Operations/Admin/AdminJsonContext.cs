using System.Text.Json;
using System.Text.Json.Serialization;

namespace OpenClaw.Operations.Admin;

/// <summary>Serializer metadata for the admin API's bodies: web casing, nulls left out, enums as strings.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    UseStringEnumConverter = true, AllowTrailingCommas = false, ReadCommentHandling = JsonCommentHandling.Disallow)]
[JsonSerializable(typeof(TenantView))]
[JsonSerializable(typeof(CreateTenantRequest))]
[JsonSerializable(typeof(CreatedTenantResponse))]
[JsonSerializable(typeof(TenantListResponse))]
[JsonSerializable(typeof(SetPlanRequest))]
[JsonSerializable(typeof(TenantPurgeResponse))]
[JsonSerializable(typeof(TenantImportResponse))]
[JsonSerializable(typeof(TokenView))]
[JsonSerializable(typeof(IssuedTokenView))]
[JsonSerializable(typeof(TokenRequestBody))]
[JsonSerializable(typeof(RotateTokenRequest))]
[JsonSerializable(typeof(TokenListResponse))]
[JsonSerializable(typeof(TenantArchiveManifest))]
[JsonSerializable(typeof(ArchivedTenant))]
[JsonSerializable(typeof(List<TokenView>))]
[JsonSerializable(typeof(JsonElement))]
internal sealed partial class AdminJsonContext : JsonSerializerContext;
