using System.Globalization;
using System.Text;

namespace OpenClaw.Silo.Tests.Telemetry;

/// <summary>One sample line of the Prometheus text format: metric name, labels, value.</summary>
internal sealed record PrometheusSample(string Name, IReadOnlyDictionary<string, string> Labels, double Value)
{
    /// <summary>The series identity: name and sorted label pairs.</summary>
    public string Series => Name + "{" + string.Join(",", Labels.OrderBy(l => l.Key, StringComparer.Ordinal).Select(l => $"{l.Key}=\"{l.Value}\"")) + "}";
}

/// <summary>
/// A parser of the Prometheus text exposition format (version 0.0.4), strict enough to catch a
/// malformed exposition: <c># HELP</c>/<c># TYPE</c> comments, samples with optional labels (escaped
/// <c>\\</c>, <c>\"</c>, <c>\n</c>), values including NaN and ±Inf, an optional timestamp.
/// </summary>
internal sealed class PrometheusText
{
    public Dictionary<string, string> Types { get; } = new(StringComparer.Ordinal);
    public Dictionary<string, string> Help { get; } = new(StringComparer.Ordinal);
    public List<PrometheusSample> Samples { get; } = [];

    public static PrometheusText Parse(string text)
    {
        var result = new PrometheusText();
        var lineNumber = 0;
        foreach (var raw in text.Split('\n'))
        {
            lineNumber++;
            var line = raw.TrimEnd('\r');
            if (line.Length == 0) continue;
            if (line.StartsWith('#'))
            {
                var parts = line.Split(' ', 4);
                if (parts.Length >= 3 && parts[1] == "TYPE")
                {
                    var type = parts.Length == 4 ? parts[3] : throw new FormatException($"line {lineNumber}: TYPE without a type");
                    if (type is not ("counter" or "gauge" or "histogram" or "summary" or "untyped")) throw new FormatException($"line {lineNumber}: unknown type '{type}'");
                    if (!result.Types.TryAdd(parts[2], type)) throw new FormatException($"line {lineNumber}: second TYPE for {parts[2]}");
                }
                else if (parts.Length >= 3 && parts[1] == "HELP")
                {
                    result.Help[parts[2]] = parts.Length == 4 ? parts[3] : "";
                }
                continue;
            }
            result.Samples.Add(ParseSample(line, lineNumber));
        }
        foreach (var sample in result.Samples)
        {
            if (result.FamilyOf(sample.Name) is null) throw new FormatException($"sample {sample.Name} has no TYPE line");
        }
        return result;
    }

    /// <summary>The family (TYPE name) a sample belongs to: itself, or a histogram's _bucket/_sum/_count.</summary>
    public string? FamilyOf(string sampleName)
    {
        if (Types.ContainsKey(sampleName)) return sampleName;
        foreach (var suffix in new[] { "_bucket", "_sum", "_count", "_created" })
        {
            if (sampleName.EndsWith(suffix, StringComparison.Ordinal) && Types.ContainsKey(sampleName[..^suffix.Length])) return sampleName[..^suffix.Length];
        }
        return null;
    }

    public IEnumerable<PrometheusSample> Named(string name) => Samples.Where(s => s.Name == name);

    private static PrometheusSample ParseSample(string line, int lineNumber)
    {
        var position = 0;
        while (position < line.Length && IsNameChar(line[position], position == 0)) position++;
        if (position == 0) throw new FormatException($"line {lineNumber}: no metric name in '{line}'");
        var name = line[..position];
        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        if (position < line.Length && line[position] == '{')
        {
            position++;
            while (true)
            {
                if (position >= line.Length) throw new FormatException($"line {lineNumber}: unterminated labels");
                if (line[position] == '}') { position++; break; }
                var start = position;
                while (position < line.Length && IsNameChar(line[position], position == start)) position++;
                var label = line[start..position];
                if (label.Length == 0 || position + 1 >= line.Length || line[position] != '=' || line[position + 1] != '"')
                    throw new FormatException($"line {lineNumber}: bad label at {start}");
                position += 2;
                var value = new StringBuilder();
                while (true)
                {
                    if (position >= line.Length) throw new FormatException($"line {lineNumber}: unterminated label value");
                    var c = line[position++];
                    if (c == '"') break;
                    if (c == '\\')
                    {
                        var escaped = line[position++];
                        value.Append(escaped switch { 'n' => '\n', '\\' => '\\', '"' => '"', _ => throw new FormatException($"line {lineNumber}: bad escape \\{escaped}") });
                    }
                    else value.Append(c);
                }
                if (!labels.TryAdd(label, value.ToString())) throw new FormatException($"line {lineNumber}: label {label} twice");
                if (position < line.Length && line[position] == ',') position++;
            }
        }
        if (position >= line.Length || line[position] != ' ') throw new FormatException($"line {lineNumber}: no value");
        var fields = line[(position + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (fields.Length is < 1 or > 2) throw new FormatException($"line {lineNumber}: expected a value and an optional timestamp");
        var number = fields[0] switch
        {
            "NaN" => double.NaN,
            "+Inf" => double.PositiveInfinity,
            "-Inf" => double.NegativeInfinity,
            var v => double.Parse(v, NumberStyles.Float, CultureInfo.InvariantCulture),
        };
        if (fields.Length == 2) _ = long.Parse(fields[1], CultureInfo.InvariantCulture);
        return new PrometheusSample(name, labels, number);
    }

    private static bool IsNameChar(char c, bool first) =>
        c is (>= 'a' and <= 'z') or (>= 'A' and <= 'Z') or '_' or ':' || (!first && c is >= '0' and <= '9');
}
