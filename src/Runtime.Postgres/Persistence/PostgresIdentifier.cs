using System.Text;

namespace OpenClaw.Runtime.Postgres;

/// <summary>Quotes PostgreSQL identifiers (schema and table names) that come from configuration.</summary>
internal static class PostgresIdentifier
{
    /// <summary>PostgreSQL truncates identifiers longer than this many bytes (NAMEDATALEN - 1).</summary>
    public const int MaxLength = 63;

    /// <summary>Returns why <paramref name="name"/> cannot be an identifier, or null when it can.</summary>
    public static string? Validate(string name)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            return "it is empty";
        }

        if (name.Contains('\0', StringComparison.Ordinal))
        {
            return "it contains a NUL character";
        }

        return Encoding.UTF8.GetByteCount(name) > MaxLength
            ? $"it is longer than {MaxLength} bytes"
            : null;
    }

    public static string Quote(string name) => "\"" + name.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    /// <summary>A table name qualified by <paramref name="schemaName"/> when one is given.</summary>
    public static string Qualify(string? schemaName, string table) =>
        schemaName is null ? Quote(table) : $"{Quote(schemaName)}.{Quote(table)}";
}
