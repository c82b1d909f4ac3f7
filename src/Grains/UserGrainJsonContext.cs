using System.Text.Json;
using System.Text.Json.Serialization;
using OpenClaw.Grains.Gateway;

namespace OpenClaw.Grains;

/// <summary>Serializer metadata for the UserGrain's persisted states (<c>sessions</c> and <c>profile</c>).</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(UserSessionsState))]
[JsonSerializable(typeof(UserProfileState))]
internal sealed partial class UserGrainJsonContext : JsonSerializerContext;
