using System.Text.Json;
using System.Text.Json.Serialization;

namespace OpenClaw.Runtime;

/// <summary>Serializer metadata for what reminder calls carry between silos, and for grains that return their reminders.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(TickStatus))]
[JsonSerializable(typeof(ReminderEntry))]
[JsonSerializable(typeof(IReadOnlyList<ReminderEntry>))]
[JsonSerializable(typeof(List<ReminderEntry>))]
[JsonSerializable(typeof(ReminderEntry[]))]
internal sealed partial class ReminderJsonContext : JsonSerializerContext;

/// <summary>A grain id as its <c>type/key</c> text.</summary>
internal sealed class GrainIdAsTextConverter : JsonConverter<GrainId>
{
    public override GrainId Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        var text = reader.GetString() ?? throw new JsonException("A grain id must be a string.");
        try
        {
            return GrainId.Parse(text);
        }
        catch (Exception ex) when (ex is FormatException or ArgumentException)
        {
            throw new JsonException(ex.Message, ex);
        }
    }

    public override void Write(Utf8JsonWriter writer, GrainId value, JsonSerializerOptions options) => writer.WriteStringValue(value.ToString());
}
