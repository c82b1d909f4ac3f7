using System.Text.Json;

namespace OpenClaw.Grains.Tests.UserGrainTests;

/// <summary>
/// Compares the shape of our payload with a reference payload: every key of the reference must be
/// present (unless its path is listed as deliberately omitted) and every key present in both must
/// have the same JSON type (null matches anything; arrays compare their first items).
/// </summary>
internal static class JsonShape
{
    /// <summary>Differences, one line each, e.g. <c>missing: sessions[].label</c> or <c>type: ts is String, reference Number</c>.</summary>
    public static IReadOnlyList<string> Compare(JsonElement reference, JsonElement ours, IReadOnlySet<string> omitted)
    {
        var differences = new List<string>();
        Walk(reference, ours, "", omitted, differences);
        return differences;
    }

    private static void Walk(JsonElement reference, JsonElement ours, string path, IReadOnlySet<string> omitted, List<string> differences)
    {
        if (reference.ValueKind == JsonValueKind.Null || ours.ValueKind == JsonValueKind.Null)
        {
            return;
        }

        if (Kind(reference) != Kind(ours))
        {
            differences.Add($"type: {Display(path)} is {ours.ValueKind}, reference {reference.ValueKind}");
            return;
        }

        switch (reference.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var property in reference.EnumerateObject())
                {
                    var childPath = path.Length == 0 ? property.Name : $"{path}.{property.Name}";
                    if (IsOmitted(childPath, omitted))
                    {
                        continue;
                    }

                    if (!ours.TryGetProperty(property.Name, out var child))
                    {
                        differences.Add($"missing: {childPath}");
                        continue;
                    }

                    Walk(property.Value, child, childPath, omitted, differences);
                }

                break;
            case JsonValueKind.Array:
                if (reference.GetArrayLength() > 0 && ours.GetArrayLength() > 0)
                {
                    Walk(reference[0], ours[0], path + "[]", omitted, differences);
                }

                break;
        }
    }

    /// <summary>A path is omitted when it or one of its parents is listed.</summary>
    private static bool IsOmitted(string path, IReadOnlySet<string> omitted)
    {
        for (var current = path; ; )
        {
            if (omitted.Contains(current))
            {
                return true;
            }

            var cut = current.LastIndexOf('.');
            if (cut < 0)
            {
                return false;
            }

            current = current[..cut];
        }
    }

    private static JsonValueKind Kind(JsonElement element) =>
        element.ValueKind == JsonValueKind.False ? JsonValueKind.True : element.ValueKind;

    private static string Display(string path) => path.Length == 0 ? "(root)" : path;
}
