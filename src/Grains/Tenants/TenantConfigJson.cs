using System.Text.Json;
using OpenClaw.Grains.Interfaces;

namespace OpenClaw.Grains.Tenants;

/// <summary>The <c>config</c> column of both registries: a <see cref="TenantConfig"/> as JSON (its API key already protected).</summary>
internal static class TenantConfigJson
{
    public static string Serialize(TenantConfig config) => JsonSerializer.Serialize(config, TenantStoreJsonContext.Default.TenantConfig);

    public static TenantConfig Deserialize(string json, string tenantId)
    {
        try
        {
            return JsonSerializer.Deserialize(json, TenantStoreJsonContext.Default.TenantConfig) ?? new TenantConfig();
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"The stored config of tenant '{tenantId}' is not valid JSON: {ex.Message}", ex);
        }
    }
}
