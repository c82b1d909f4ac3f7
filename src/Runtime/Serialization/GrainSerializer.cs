using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace OpenClaw.Runtime;

/// <summary>
/// JSON serialization of everything that crosses a grain boundary (arguments, results, state).
/// Types must be explicit: registered through a source-generated <c>JsonSerializerContext</c>
/// in their assembly; there is no reflection fallback.
/// </summary>
public static class GrainSerializer
{
    private static readonly object Gate = new();
    private static readonly List<IJsonTypeInfoResolver> Resolvers = [];
    private static JsonSerializerOptions _options = Build();
    private static int _version;

    public static JsonSerializerOptions Options => _options;

    internal static int Version => Volatile.Read(ref _version);

    public static void AddResolver(IJsonTypeInfoResolver resolver)
    {
        ArgumentNullException.ThrowIfNull(resolver);
        lock (Gate)
        {
            if (Resolvers.Contains(resolver)) return;
            Resolvers.Add(resolver);
            _options = Build();
            Interlocked.Increment(ref _version);
        }
    }

    private static JsonSerializerOptions Build()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web)
        {
            TypeInfoResolver = JsonTypeInfoResolver.Combine([GrainReferenceJson.Instance, .. Resolvers, BuiltInTypes.Default]),
        };
        options.MakeReadOnly();
        return options;
    }

    public static JsonTypeInfo<T> GetTypeInfo<T>() => TypeInfoCache<T>.Get();

    public static byte[] SerializeToUtf8Bytes<T>(T value) => JsonSerializer.SerializeToUtf8Bytes(value, GetTypeInfo<T>());

    public static T? Deserialize<T>(ReadOnlySpan<byte> utf8Json) => JsonSerializer.Deserialize(utf8Json, GetTypeInfo<T>());

    public static void Write<T>(Utf8JsonWriter writer, T value) => JsonSerializer.Serialize(writer, value, GetTypeInfo<T>());

    public static T? Read<T>(ref Utf8JsonReader reader) => JsonSerializer.Deserialize(ref reader, GetTypeInfo<T>());

    private static class TypeInfoCache<T>
    {
        private static JsonTypeInfo<T>? _info;
        private static int _infoVersion = -1;

        public static JsonTypeInfo<T> Get()
        {
            var info = _info;
            if (info is not null && _infoVersion == Version) return info;
            if (!Options.TryGetTypeInfo(typeof(T), out var untyped))
            {
                GrainCodeRegistry.Instance.EnsureAssembly(typeof(T).Assembly);
                if (!Options.TryGetTypeInfo(typeof(T), out untyped))
                    throw new InvalidOperationException(
                        $"{typeof(T).FullName} cannot cross a grain boundary: add [JsonSerializable(typeof({typeof(T).Name}))] to a JsonSerializerContext in its assembly.");
            }
            info = (JsonTypeInfo<T>)untyped;
            _infoVersion = Version;
            _info = info;
            return info;
        }
    }
}
