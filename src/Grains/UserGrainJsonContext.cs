using System.Text.Json;
using System.Text.Json.Serialization;
using OpenClaw.Grains.Gateway;

namespace OpenClaw.Grains;

/// <summary>Serializer metadata for the UserGrain's persisted records (index, sessions, transcript chunks, pending runs, profile).</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(UserSessionsState))]
[JsonSerializable(typeof(UserProfileState))]
[JsonSerializable(typeof(SessionHeadRecord))]
[JsonSerializable(typeof(TranscriptChunkRecord))]
[JsonSerializable(typeof(PendingRunRecord))]
[JsonSerializable(typeof(Gateway.Cron.CronStoreState))]
[JsonSerializable(typeof(Gateway.Cron.CronJob))]
internal sealed partial class UserGrainJsonContext : JsonSerializerContext;
