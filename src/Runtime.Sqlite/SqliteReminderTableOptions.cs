namespace OpenClaw.Runtime.Sqlite;

/// <summary>Where the embedded reminder table lives: <see cref="Directory"/>/<see cref="FileName"/>.</summary>
public sealed class SqliteReminderTableOptions
{
    public const string DefaultFileName = "reminders.db";

    /// <summary>The directory of the database file (created 0700 when missing).</summary>
    public string Directory { get; set; } = "";

    public string FileName { get; set; } = DefaultFileName;

    public string? Validate()
    {
        if (string.IsNullOrWhiteSpace(Directory)) return "the reminder table's directory is empty.";
        if (string.IsNullOrWhiteSpace(FileName) || FileName.IndexOfAny(Path.GetInvalidFileNameChars()) >= 0 || FileName is "." or "..")
            return $"'{FileName}' is not a file name.";
        return null;
    }
}
