using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace OpenClaw.Runtime;

/// <summary>
/// Serializer metadata for grain and observer references, so that a reference can cross a
/// network hop inside a call's arguments (<c>Subscribe(observer)</c>). A reference is written as
/// <c>{"grainId":"type/key","interface":"Full.Interface.Name"}</c>; reading one needs the router
/// of the receiving side, bound for the duration with <see cref="Bind"/>.
/// </summary>
public sealed class GrainReferenceJson : IJsonTypeInfoResolver
{
    public static GrainReferenceJson Instance { get; } = new();

    private static readonly AsyncLocal<IGrainCallRouter?> BoundRouter = new();

    private GrainReferenceJson()
    {
    }

    /// <summary>References read until the returned scope is disposed are bound to <paramref name="router"/>.</summary>
    public static IDisposable Bind(IGrainCallRouter router)
    {
        var previous = BoundRouter.Value;
        BoundRouter.Value = router ?? throw new ArgumentNullException(nameof(router));
        return new Scope(previous);
    }

    public JsonTypeInfo? GetTypeInfo(Type type, JsonSerializerOptions options)
    {
        if (!typeof(IAddressable).IsAssignableFrom(type) || !(type.IsInterface || typeof(GrainReference).IsAssignableFrom(type))) return null;
        var converter = (JsonConverter)Activator.CreateInstance(typeof(ReferenceConverter<>).MakeGenericType(type))!;
        var create = typeof(JsonMetadataServices).GetMethod(nameof(JsonMetadataServices.CreateValueInfo))!.MakeGenericMethod(type);
        return (JsonTypeInfo)create.Invoke(null, [options, converter])!;
    }

    private sealed class ReferenceConverter<T> : JsonConverter<T> where T : class
    {
        public override void Write(Utf8JsonWriter writer, T value, JsonSerializerOptions options)
        {
            if (value is not GrainReference reference)
                throw new JsonException($"Only references can cross a grain boundary; pass a reference from IGrainFactory, not a {value.GetType().Name}.");
            writer.WriteStartObject();
            writer.WriteString("grainId", reference.GrainId.ToString());
            writer.WriteString("interface", reference.InterfaceName);
            writer.WriteEndObject();
        }

        public override T? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            if (reader.TokenType == JsonTokenType.Null) return null;
            if (reader.TokenType != JsonTokenType.StartObject) throw new JsonException("A grain reference must be a JSON object.");
            string? grainId = null, interfaceName = null;
            while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
            {
                if (reader.TokenType != JsonTokenType.PropertyName) throw new JsonException("Malformed grain reference.");
                var name = reader.GetString();
                reader.Read();
                if (name == "grainId") grainId = reader.GetString();
                else if (name == "interface") interfaceName = reader.GetString();
                else reader.Skip();
            }
            if (grainId is null || interfaceName is null) throw new JsonException("A grain reference needs 'grainId' and 'interface'.");
            if (!GrainCodeRegistry.Instance.TryGetInterface(interfaceName, out var grainInterface))
            {
                GrainCodeRegistry.Instance.EnsureAssembly(typeToConvert.Assembly);
                if (!GrainCodeRegistry.Instance.TryGetInterface(interfaceName, out grainInterface))
                    throw new JsonException($"Unknown grain interface '{interfaceName}'.");
            }
            if (!typeToConvert.IsAssignableFrom(grainInterface))
                throw new JsonException($"A reference to {interfaceName} is not a {typeToConvert.Name}.");
            var router = BoundRouter.Value
                ?? throw new JsonException("A grain reference was read with no router bound (GrainReferenceJson.Bind).");
            GrainId id;
            try { id = GrainId.Parse(grainId); }
            catch (Exception ex) when (ex is FormatException or ArgumentException) { throw new JsonException(ex.Message, ex); }
            return (T)(object)GrainCodeRegistry.Instance.GetReferenceFactory(grainInterface)(id, router);
        }
    }

    private sealed class Scope(IGrainCallRouter? previous) : IDisposable
    {
        public void Dispose() => BoundRouter.Value = previous;
    }
}
