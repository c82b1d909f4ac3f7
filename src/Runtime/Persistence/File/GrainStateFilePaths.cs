using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace OpenClaw.Runtime;

/// <summary>
/// Maps a <see cref="GrainStateKey"/> to a file under the root directory. Names come from a
/// SHA-256 of the whole key, so any key (slashes, "..", unicode, very long) gives a short, safe
/// name that cannot leave the root. A readable prefix made only of [A-Za-z0-9_-] helps operators.
/// Layout: <c>root/{grain type}_{type hash}/{grain key}.{state name}.{key hash}.state</c>.
/// </summary>
internal static class GrainStateFilePaths
{
    public const string StateExtension = ".state";
    public const string TempExtension = ".tmp";

    private const int ReadableTypeLength = 40;
    private const int ReadableKeyLength = 40;
    private const int ReadableStateLength = 24;

    public static GrainStateFilePath Resolve(string rootDirectory, GrainStateKey key)
    {
        var keyHash = Sha256(key);
        var typeHash = SHA256.HashData(Encoding.UTF8.GetBytes(key.GrainType));

        var directoryName = $"{Readable(key.GrainType, ReadableTypeLength)}_{Convert.ToHexStringLower(typeHash, 0, 8)}";
        var fileName = $"{Readable(key.GrainKey, ReadableKeyLength)}.{Readable(key.StateName, ReadableStateLength)}.{Convert.ToHexStringLower(keyHash)}{StateExtension}";

        var directory = Path.Join(rootDirectory, directoryName);
        var path = Path.Join(directory, fileName);
        EnsureInside(rootDirectory, path);
        return new GrainStateFilePath(directory, path, BinaryPrimitives.ReadUInt32LittleEndian(keyHash));
    }

    /// <summary>Keeps safe characters, replaces the others with '_', never returns an empty string.</summary>
    private static string Readable(string value, int maxLength)
    {
        var length = Math.Min(value.Length, maxLength);
        if (length == 0)
        {
            return "_";
        }

        return string.Create(length, value, static (span, source) =>
        {
            for (var i = 0; i < span.Length; i++)
            {
                var c = source[i];
                span[i] = char.IsAsciiLetterOrDigit(c) || c is '-' or '_' ? c : '_';
            }
        });
    }

    /// <summary>SHA-256 over the length-prefixed parts, so ("a/b", "c") and ("a", "b/c") differ.</summary>
    private static byte[] Sha256(GrainStateKey key)
    {
        var text = $"{key.GrainType.Length}:{key.GrainType}|{key.GrainKey.Length}:{key.GrainKey}|{key.StateName.Length}:{key.StateName}";
        return SHA256.HashData(Encoding.UTF8.GetBytes(text));
    }

    private static void EnsureInside(string rootDirectory, string path)
    {
        var root = Path.TrimEndingDirectorySeparator(Path.GetFullPath(rootDirectory)) + Path.DirectorySeparatorChar;
        if (!Path.GetFullPath(path).StartsWith(root, StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"Grain state file '{path}' would be outside the storage root '{rootDirectory}'.");
        }
    }
}

/// <summary>Where one state lives on disk, and the hash that picks its lock stripe.</summary>
internal readonly record struct GrainStateFilePath(string Directory, string FullPath, uint LockHash);
