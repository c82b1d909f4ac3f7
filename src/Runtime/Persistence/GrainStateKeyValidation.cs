using System.Buffers;
using System.Text;

namespace OpenClaw.Runtime;

/// <summary>
/// The rules every provider applies to a <see cref="GrainStateKey"/>, so that all providers accept
/// the same keys: any text, including an empty grain key, except NUL characters (PostgreSQL text
/// cannot hold them) and malformed UTF-16 (it has no unambiguous UTF-8 form).
/// </summary>
internal static class GrainStateKeyValidation
{
    public static void Validate(GrainStateKey key)
    {
        Check(key.GrainType, nameof(GrainStateKey.GrainType), allowEmpty: false);
        Check(key.GrainKey, nameof(GrainStateKey.GrainKey), allowEmpty: true);
        Check(key.StateName, nameof(GrainStateKey.StateName), allowEmpty: false);
    }

    public static void ValidateExpectedEtag(int expectedEtag)
    {
        if (expectedEtag < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(expectedEtag), expectedEtag, "An ETag is never negative; 0 means \"no record\".");
        }
    }

    private static void Check(string? value, string part, bool allowEmpty)
    {
        if (value is null)
        {
            throw new ArgumentException($"The grain state key has no {part}.", "key");
        }

        if (!allowEmpty && value.Length == 0)
        {
            throw new ArgumentException($"The {part} of a grain state key must not be empty.", "key");
        }

        if (value.Contains('\0', StringComparison.Ordinal))
        {
            throw new ArgumentException($"The {part} of a grain state key must not contain NUL characters.", "key");
        }

        if (!IsWellFormedUtf16(value))
        {
            throw new ArgumentException($"The {part} of a grain state key is not well-formed UTF-16 (it has an unpaired surrogate).", "key");
        }
    }

    private static bool IsWellFormedUtf16(ReadOnlySpan<char> value)
    {
        while (!value.IsEmpty)
        {
            if (Rune.DecodeFromUtf16(value, out _, out var consumed) != OperationStatus.Done)
            {
                return false;
            }

            value = value[consumed..];
        }

        return true;
    }
}
