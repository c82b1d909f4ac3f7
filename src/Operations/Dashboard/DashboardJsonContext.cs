using System.Text.Json;
using System.Text.Json.Serialization;

namespace OpenClaw.Operations.Dashboard;

/// <summary>Serializer metadata for the dashboard's JSON API (web defaults, enums as strings).</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, UseStringEnumConverter = true)]
[JsonSerializable(typeof(OverviewView))]
[JsonSerializable(typeof(TopTenantsView))]
[JsonSerializable(typeof(TenantView))]
[JsonSerializable(typeof(AlertsView))]
[JsonSerializable(typeof(SyncView))]
[JsonSerializable(typeof(LoginRequest))]
internal sealed partial class DashboardJsonContext : JsonSerializerContext;
