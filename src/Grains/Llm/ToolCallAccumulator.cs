using System.Text;

namespace OpenClaw.Grains.Llm;

/// <summary>
/// Assembles the tool calls of one streamed turn from their pieces (name once, argument fragments
/// in order), bounded against a hostile or broken model server: at most
/// <see cref="LlmProviderOptions.MaxToolCallsPerTurn"/> calls (more fail the stream) and
/// <see cref="LlmProviderOptions.MaxToolArgumentBytes"/> of arguments per call (a larger call is
/// kept but marked invalid, so the model gets an error result for it). Ids and names are capped
/// too; a call without an id gets one.
/// </summary>
internal sealed class ToolCallAccumulator(string provider, int maxCalls, int maxArgumentBytes)
{
    public const int MaxIdChars = 128;
    public const int MaxNameChars = 128;

    private readonly List<Entry> _calls = [];
    private readonly Dictionary<string, Entry> _byKey = new(StringComparer.Ordinal);

    public bool HasCalls => _calls.Count > 0;

    /// <summary>The call streamed under <paramref name="key"/> (an index or an id), created on first sight.</summary>
    public Entry Get(string key)
    {
        if (_byKey.TryGetValue(key, out var entry))
        {
            return entry;
        }

        if (_calls.Count >= maxCalls)
        {
            throw new LlmProviderException($"{provider}: the model made more than {maxCalls} tool calls in one turn.");
        }

        entry = new Entry(_calls.Count);
        _calls.Add(entry);
        _byKey[key] = entry;
        return entry;
    }

    /// <summary>The call streamed under <paramref name="key"/>, if one was started.</summary>
    public Entry? Find(string key) => _byKey.GetValueOrDefault(key);

    public void SetId(Entry entry, string? id)
    {
        if (entry.Id is null && !string.IsNullOrEmpty(id))
        {
            entry.Id = id.Length <= MaxIdChars ? id : id[..MaxIdChars];
        }
    }

    public void SetName(Entry entry, string? name)
    {
        if (entry.Name is null && !string.IsNullOrEmpty(name))
        {
            entry.Name = name.Length <= MaxNameChars ? name : name[..MaxNameChars];
        }
    }

    public void AppendArguments(Entry entry, string? fragment)
    {
        if (string.IsNullOrEmpty(fragment) || entry.TooLarge)
        {
            return;
        }

        entry.ArgumentBytes += Encoding.UTF8.GetByteCount(fragment);
        if (entry.ArgumentBytes > maxArgumentBytes)
        {
            entry.TooLarge = true;
            entry.Arguments.Clear();
            return;
        }

        entry.Arguments.Append(fragment);
    }

    /// <summary>The call when it was not emitted yet (then it is marked emitted).</summary>
    public LlmToolCall? Complete(Entry entry)
    {
        if (entry.Emitted)
        {
            return null;
        }

        entry.Emitted = true;
        var arguments = entry.Arguments.ToString();
        return new LlmToolCall(entry.Id ?? $"call_{entry.Index + 1}", entry.Name ?? "", arguments.Trim().Length == 0 ? "{}" : arguments)
        {
            Invalid = entry.TooLarge ? $"the tool call's arguments exceed {maxArgumentBytes} bytes" : null,
        };
    }

    /// <summary>Completes every call not emitted yet, in the order they started.</summary>
    public void CompleteAll(List<LlmStreamEvent> output)
    {
        foreach (var entry in _calls)
        {
            if (Complete(entry) is { } call)
            {
                output.Add(call);
            }
        }
    }

    internal sealed class Entry(int index)
    {
        public int Index { get; } = index;

        public string? Id { get; set; }

        public string? Name { get; set; }

        public StringBuilder Arguments { get; } = new();

        public long ArgumentBytes { get; set; }

        public bool TooLarge { get; set; }

        public bool Emitted { get; set; }
    }
}
