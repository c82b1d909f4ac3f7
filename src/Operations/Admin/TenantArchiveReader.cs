using System.IO.Compression;
using System.Text;
using System.Text.Json;
using OpenClaw.Grains.Interfaces;

namespace OpenClaw.Operations.Admin;

/// <summary>An archive read and checked: the tenant, how many tokens it listed, and the state for the grain.</summary>
internal sealed record ParsedTenantArchive(ArchivedTenant Tenant, TenantConfigInput Config, int Tokens, TenantStateArchive State);

/// <summary>
/// Reads an uploaded zip of <see cref="TenantArchiveFormat"/> as hostile input: every entry name is
/// checked like a workspace path (no absolute path, drive, <c>..</c>, backslash, empty or control
/// characters), links and other special files are refused, only the format's entries are allowed
/// (each once), and counts and sizes are bounded by <see cref="TenantArchiveOptions"/>, with the
/// bytes actually inflated counted (never the sizes the archive claims). Any breach refuses the
/// whole archive with a message saying which entry and why.
/// </summary>
internal static class TenantArchiveReader
{
    private const int FileTypeMask = 0xF000;
    private const int RegularFile = 0x8000;
    private const int DirectoryType = 0x4000;

    public static (ParsedTenantArchive? Archive, string? Problem) Read(byte[] bytes, TenantArchiveOptions options)
    {
        try
        {
            using var zip = new ZipArchive(new MemoryStream(bytes, writable: false), ZipArchiveMode.Read);
            return ReadEntries(zip, options);
        }
        catch (InvalidDataException ex)
        {
            return (null, $"not a readable zip archive: {ex.Message}");
        }
        catch (ArchiveRefusedException ex)
        {
            return (null, ex.Message);
        }
    }

    private static (ParsedTenantArchive?, string?) ReadEntries(ZipArchive zip, TenantArchiveOptions options)
    {
        if (zip.Entries.Count > options.MaxEntries)
        {
            return (null, $"the archive has {zip.Entries.Count} entries; at most {options.MaxEntries} are accepted");
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        long total = 0;
        byte[]? manifestBytes = null, tenantBytes = null, tokensBytes = null;
        var records = new List<ArchivedStateRecord>();
        var files = new List<ArchivedWorkspaceFile>();
        foreach (var entry in zip.Entries)
        {
            var name = entry.FullName;
            CheckName(name);
            var type = (entry.ExternalAttributes >> 16) & FileTypeMask;
            var isDirectory = name.EndsWith('/');
            if (type != 0 && type != RegularFile && !(isDirectory && type == DirectoryType))
            {
                throw new ArchiveRefusedException($"entry '{Printable(name)}' is a link or special file; only regular files are accepted");
            }

            if (isDirectory)
            {
                if (entry.Length != 0) throw new ArchiveRefusedException($"directory entry '{Printable(name)}' has content");
                continue;
            }

            if (!seen.Add(name))
            {
                throw new ArchiveRefusedException($"entry '{Printable(name)}' appears twice");
            }

            if (entry.Length > options.MaxEntryBytes)
            {
                throw new ArchiveRefusedException($"entry '{Printable(name)}' is {entry.Length} bytes; at most {options.MaxEntryBytes} are accepted");
            }

            var content = Inflate(entry, options.MaxEntryBytes, options.MaxUncompressedBytes - total);
            total += content.LongLength;
            switch (name)
            {
                case TenantArchiveFormat.ManifestEntry: manifestBytes = content; break;
                case TenantArchiveFormat.TenantEntry: tenantBytes = content; break;
                case TenantArchiveFormat.TokensEntry: tokensBytes = content; break;
                default:
                    if (name.StartsWith(TenantArchiveFormat.StatePrefix, StringComparison.Ordinal) && name.EndsWith(TenantArchiveFormat.StateSuffix, StringComparison.Ordinal)
                        && name.Length > TenantArchiveFormat.StatePrefix.Length + TenantArchiveFormat.StateSuffix.Length)
                    {
                        var recordName = name[TenantArchiveFormat.StatePrefix.Length..^TenantArchiveFormat.StateSuffix.Length];
                        records.Add(new ArchivedStateRecord(recordName, Utf8(content, name)));
                    }
                    else if (name.StartsWith(TenantArchiveFormat.WorkspacePrefix, StringComparison.Ordinal) && name.Length > TenantArchiveFormat.WorkspacePrefix.Length)
                    {
                        files.Add(new ArchivedWorkspaceFile(name[TenantArchiveFormat.WorkspacePrefix.Length..], content));
                    }
                    else
                    {
                        throw new ArchiveRefusedException($"entry '{Printable(name)}' is not part of a tenant archive");
                    }

                    break;
            }
        }

        var manifest = Parse(manifestBytes, TenantArchiveFormat.ManifestEntry, AdminJsonContext.Default.TenantArchiveManifest);
        if (manifest.Kind != TenantArchiveFormat.Kind || manifest.Format != TenantArchiveFormat.CurrentFormat)
        {
            return (null, $"manifest.json: format {manifest.Format} of kind '{Printable(manifest.Kind)}' is not supported (this version reads format {TenantArchiveFormat.CurrentFormat} of '{TenantArchiveFormat.Kind}')");
        }

        var tenant = Parse(tenantBytes, TenantArchiveFormat.TenantEntry, AdminJsonContext.Default.ArchivedTenant);
        var tokens = Parse(tokensBytes, TenantArchiveFormat.TokensEntry, AdminJsonContext.Default.ListTokenView);
        if (tenant.Id != manifest.TenantId)
        {
            return (null, "tenant.json and manifest.json name different tenants");
        }

        return (new ParsedTenantArchive(tenant, tenant.Config ?? new TenantConfigInput(), tokens.Count,
            new TenantStateArchive { Records = records, Files = files }), null);
    }

    /// <summary>Entry names follow the workspace path rules, strictly: canonical, relative, '/'-separated.</summary>
    private static void CheckName(string name)
    {
        if (name.Length == 0 || name.Length > TenantArchiveFormat.MaxEntryNameLength)
            throw new ArchiveRefusedException($"an entry name is empty or longer than {TenantArchiveFormat.MaxEntryNameLength} characters");
        if (name.Contains('\\') || name.StartsWith('/') || (name.Length >= 2 && name[1] == ':') || name.Any(char.IsControl))
            throw new ArchiveRefusedException($"entry '{Printable(name)}' is not a relative path with '/' separators");
        var segments = name.TrimEnd('/').Split('/');
        if (segments.Any(segment => segment is "" or "." or ".."))
            throw new ArchiveRefusedException($"entry '{Printable(name)}' has an empty, '.' or '..' segment");
    }

    /// <summary>Inflates at most <paramref name="maxBytes"/> (and what is left of the total); the declared size is not trusted.</summary>
    private static byte[] Inflate(ZipArchiveEntry entry, long maxBytes, long remainingTotal)
    {
        var limit = Math.Min(maxBytes, remainingTotal);
        using var stream = entry.Open();
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = stream.Read(chunk, 0, chunk.Length)) > 0)
        {
            if (buffer.Length + read > limit)
            {
                throw new ArchiveRefusedException(limit < maxBytes
                    ? "the archive's entries together inflate past the accepted total"
                    : $"entry '{Printable(entry.FullName)}' inflates past {maxBytes} bytes");
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }

    private static T Parse<T>(byte[]? bytes, string entry, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type)
    {
        if (bytes is null)
        {
            throw new ArchiveRefusedException($"the archive has no {entry}");
        }

        try
        {
            return JsonSerializer.Deserialize(bytes, type) ?? throw new ArchiveRefusedException($"{entry} is empty");
        }
        catch (JsonException ex)
        {
            throw new ArchiveRefusedException($"{entry} is not valid: {ex.Message}");
        }
    }

    private static string Utf8(byte[] content, string entry)
    {
        try
        {
            return new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(content);
        }
        catch (DecoderFallbackException)
        {
            throw new ArchiveRefusedException($"entry '{Printable(entry)}' is not UTF-8 text");
        }
    }

    private static string Printable(string text)
    {
        var shown = text.Length > 120 ? text[..120] + "…" : text;
        return new string(shown.Select(c => char.IsControl(c) ? '?' : c).ToArray());
    }

    private sealed class ArchiveRefusedException(string message) : Exception(message);
}
