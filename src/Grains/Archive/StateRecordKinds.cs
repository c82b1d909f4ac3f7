using System.Globalization;
using System.Text.Json;
using OpenClaw.Grains.Gateway;

namespace OpenClaw.Grains.Archive;

/// <summary>
/// The names a tenant's state records may have (see <see cref="StateRecordNames"/>) and the JSON
/// each must hold. An archive naming anything else, a slot number past <see cref="MaxSlot"/>, or
/// content that does not read as its record type is refused before anything is written.
/// </summary>
internal static class StateRecordKinds
{
    /// <summary>Slot numbers stay below this (the grain keeps at most a few hundred sessions and runs).</summary>
    public const int MaxSlot = 100_000;

    private static readonly UserGrainJsonContext Json = UserGrainJsonContext.Default;

    /// <summary>Null when <paramref name="name"/> and <paramref name="json"/> make a valid record; otherwise what is wrong.</summary>
    public static string? Problem(string? name, string? json)
    {
        if (string.IsNullOrEmpty(name))
        {
            return "a state record has no name";
        }

        if (json is null)
        {
            return $"state record '{name}' has no content";
        }

        var parts = name.Split('/');
        try
        {
            object? value = parts switch
            {
                [StateRecordNames.Index] => CheckIndex(JsonSerializer.Deserialize(json, Json.UserSessionsState)),
                [StateRecordNames.Profile] => JsonSerializer.Deserialize(json, Json.UserProfileState),
                [StateRecordNames.Cron] => JsonSerializer.Deserialize(json, Json.CronStoreState),
                ["session", var slot] when IsSlot(slot) => JsonSerializer.Deserialize(json, Json.SessionHeadRecord),
                ["transcript", var slot, var chunk] when IsSlot(slot) && IsSlot(chunk) => JsonSerializer.Deserialize(json, Json.TranscriptChunkRecord),
                ["run", var slot] when IsSlot(slot) => JsonSerializer.Deserialize(json, Json.PendingRunRecord),
                _ => throw new ArchiveRecordNameException(),
            };
            return value is null ? $"state record '{name}' is empty" : null;
        }
        catch (ArchiveRecordNameException)
        {
            return $"'{Shorten(name)}' is not a state record name";
        }
        catch (JsonException ex)
        {
            return $"state record '{name}' is not valid: {ex.Message}";
        }
        catch (InvalidDataException ex)
        {
            return $"state record '{name}' is not valid: {ex.Message}";
        }
    }

    public static string Number(int value) => value.ToString(CultureInfo.InvariantCulture);

    private static UserSessionsState? CheckIndex(UserSessionsState? index)
    {
        if (index is { } value && (value.SessionSlots is < 0 or > MaxSlot || value.RunSlots is < 0 or > MaxSlot))
        {
            throw new InvalidDataException($"slot counts must be between 0 and {MaxSlot}");
        }

        return index;
    }

    /// <summary>A canonical decimal number below <see cref="MaxSlot"/> ("07" or "+7" would alias "7").</summary>
    private static bool IsSlot(string text) =>
        text.Length is > 0 and <= 6
        && text.All(char.IsAsciiDigit)
        && (text.Length == 1 || text[0] != '0')
        && int.Parse(text, CultureInfo.InvariantCulture) < MaxSlot;

    private static string Shorten(string name) => name.Length <= 80 ? name : name[..80] + "…";

    private sealed class ArchiveRecordNameException : Exception;
}
