using System.Buffers;
using System.Security.Cryptography;
using System.Text.Json;

namespace OpenClaw.Runtime;

/// <summary>
/// The content of a state file: one line of JSON (the header) and then the state bytes as they
/// were given. The header names the grain, so a file that does not belong to its name is
/// detected, and carries the ETag, the data length and its SHA-256, so a damaged or truncated file
/// is detected too. A tombstone has a null length and no data.
/// <code>{"format":"openclaw-grain-state","version":1,"grainType":…,"grainKey":…,"stateName":…,"etag":2,"length":17,"sha256":"…"}\n{…state json…}</code>
/// </summary>
internal static class GrainStateFileFormat
{
    private const string FormatName = "openclaw-grain-state";
    private const int FormatVersion = 1;
    private const byte HeaderEnd = (byte)'\n';

    /// <summary>The header line (ending with its newline) for a record; null data makes a tombstone.</summary>
    public static byte[] EncodeHeader(GrainStateKey key, int etag, ReadOnlySpan<byte> data, bool tombstone)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("format", FormatName);
            writer.WriteNumber("version", FormatVersion);
            writer.WriteString("grainType", key.GrainType);
            writer.WriteString("grainKey", key.GrainKey);
            writer.WriteString("stateName", key.StateName);
            writer.WriteNumber("etag", etag);
            if (tombstone)
            {
                writer.WriteNull("length");
                writer.WriteNull("sha256");
            }
            else
            {
                writer.WriteNumber("length", data.Length);
                writer.WriteString("sha256", Convert.ToHexStringLower(SHA256.HashData(data)));
            }

            writer.WriteEndObject();
        }

        buffer.Write([HeaderEnd]);
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Reads a file's content back; throws <see cref="GrainStorageCorruptedException"/> naming <paramref name="path"/>.</summary>
    public static StoredGrainState Decode(string path, GrainStateKey key, byte[] content)
    {
        var headerLength = Array.IndexOf(content, HeaderEnd);
        if (headerLength < 0)
        {
            throw Corrupted(path, "it has no header line (the file is truncated or not a grain state file)");
        }

        Header header;
        try
        {
            header = ParseHeader(content.AsSpan(0, headerLength));
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException)
        {
            throw Corrupted(path, $"its header is not valid JSON ({e.Message})", e);
        }

        if (header.Format != FormatName || header.Version != FormatVersion)
        {
            throw Corrupted(path, $"its header declares format '{header.Format}' version {header.Version}, expected '{FormatName}' version {FormatVersion}");
        }

        if (header.GrainType != key.GrainType || header.GrainKey != key.GrainKey || header.StateName != key.StateName)
        {
            throw Corrupted(path, $"it holds the state of {new GrainStateKey(header.GrainType ?? "?", header.GrainKey ?? "?", header.StateName ?? "?")}, not of {key}");
        }

        if (header.Etag is not > 0)
        {
            throw Corrupted(path, $"its ETag {header.Etag?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "(missing)"} is not a positive number");
        }

        var data = content.AsSpan(headerLength + 1);
        if (header.Length is null)
        {
            return data.IsEmpty
                ? new StoredGrainState(null, header.Etag.Value)
                : throw Corrupted(path, "it is a tombstone but has data after its header");
        }

        if (header.Length != data.Length)
        {
            throw Corrupted(path, $"its header announces {header.Length} bytes of data but the file holds {data.Length}");
        }

        if (!string.Equals(header.Sha256, Convert.ToHexStringLower(SHA256.HashData(data)), StringComparison.Ordinal))
        {
            throw Corrupted(path, "its data does not match the SHA-256 in its header");
        }

        return new StoredGrainState(data.ToArray(), header.Etag.Value);
    }

    private static Header ParseHeader(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json);
        var header = new Header();
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            throw new JsonException("the header is not a JSON object");
        }

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var property = reader.GetString();
            reader.Read();
            switch (property)
            {
                case "format": header.Format = reader.GetString(); break;
                case "version": header.Version = reader.GetInt32(); break;
                case "grainType": header.GrainType = reader.GetString(); break;
                case "grainKey": header.GrainKey = reader.GetString(); break;
                case "stateName": header.StateName = reader.GetString(); break;
                case "etag": header.Etag = reader.GetInt32(); break;
                case "length": header.Length = reader.TokenType == JsonTokenType.Null ? null : reader.GetInt32(); break;
                case "sha256": header.Sha256 = reader.TokenType == JsonTokenType.Null ? null : reader.GetString(); break;
                default: reader.Skip(); break;
            }
        }

        if (reader.TokenType != JsonTokenType.EndObject || reader.Read())
        {
            throw new JsonException("the header has content after its JSON object");
        }

        return header;
    }

    private static GrainStorageCorruptedException Corrupted(string path, string reason, Exception? inner = null) =>
        new($"Grain state file '{path}' is corrupted: {reason}. It was left untouched: restore it from a backup, or move it aside to reset that grain's state.", path, inner);

    private sealed class Header
    {
        public string? Format { get; set; }
        public int Version { get; set; }
        public string? GrainType { get; set; }
        public string? GrainKey { get; set; }
        public string? StateName { get; set; }
        public int? Etag { get; set; }
        public int? Length { get; set; }
        public string? Sha256 { get; set; }
    }
}
