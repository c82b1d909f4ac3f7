namespace OpenClaw.Runtime;

/// <summary>The identity of a grain: its grain type plus a string key. Serialized as its <c>type/key</c> text.</summary>
[System.Text.Json.Serialization.JsonConverter(typeof(GrainIdAsTextConverter))]
public readonly record struct GrainId
{
    /// <summary>Grain type used for observer references (objects registered by a client).</summary>
    public const string ObserverType = "sys.observer";

    public GrainId(string type, string key)
    {
        if (string.IsNullOrWhiteSpace(type)) throw new ArgumentException("Grain type must be a non-empty string.", nameof(type));
        ArgumentNullException.ThrowIfNull(key);
        if (key.Length == 0) throw new ArgumentException("Grain key must be a non-empty string.", nameof(key));
        Type = type;
        Key = key;
    }

    public string Type { get; }
    public string Key { get; }
    public bool IsObserver => Type == ObserverType;

    public override string ToString() => $"{Type}/{Key}";

    /// <summary>Parses the <c>type/key</c> form produced by <see cref="ToString"/>.</summary>
    public static GrainId Parse(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var slash = value.IndexOf('/');
        if (slash <= 0 || slash == value.Length - 1) throw new FormatException($"'{value}' is not a grain id of the form type/key.");
        return new GrainId(value[..slash], value[(slash + 1)..]);
    }
}
