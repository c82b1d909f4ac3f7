using System.Collections.Concurrent;
using System.Text.Json;

namespace OpenClaw.Runtime;

/// <summary>
/// Which grain type implements each grain interface (by interface full name). Silos send theirs
/// in the handshake, so that a client process, which hosts no grains and does not load their
/// classes, can still address grains by interface.
/// </summary>
public sealed class GrainManifest
{
    private readonly ConcurrentDictionary<string, string> _grainTypes = new(StringComparer.Ordinal);

    public int Count => _grainTypes.Count;

    public void Add(string interfaceName, string grainType) => _grainTypes[interfaceName] = grainType;

    public bool TryGetGrainType(string interfaceName, out string grainType) => _grainTypes.TryGetValue(interfaceName, out grainType!);

    public void Merge(GrainManifest other)
    {
        foreach (var (interfaceName, grainType) in other._grainTypes) _grainTypes[interfaceName] = grainType;
    }

    internal void Write(Utf8JsonWriter writer)
    {
        writer.WriteStartObject();
        foreach (var (interfaceName, grainType) in _grainTypes) writer.WriteString(interfaceName, grainType);
        writer.WriteEndObject();
    }

    internal static GrainManifest Read(ReadOnlySpan<byte> json)
    {
        var manifest = new GrainManifest();
        var reader = new Utf8JsonReader(json);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject) throw new ClusterProtocolException("manifest is not a JSON object");
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var interfaceName = reader.GetString()!;
            if (!reader.Read() || reader.TokenType != JsonTokenType.String) throw new ClusterProtocolException("manifest entry is not a string");
            manifest.Add(interfaceName, reader.GetString()!);
        }
        return manifest;
    }

    internal static GrainManifest From(GrainTypeRegistry registry)
    {
        var manifest = new GrainManifest();
        foreach (var (grainInterface, info) in registry.Interfaces) manifest.Add(grainInterface.FullName!, info.GrainType);
        return manifest;
    }
}
