using System.Text;

namespace OpenClaw.Runtime;

/// <summary>
/// A stable 32-bit hash of a grain id (the same in every process and build, unlike
/// <see cref="string.GetHashCode()"/>): where a reminder sits on the ring of silos, and the
/// column the table reads ranges by.
/// </summary>
public static class ReminderHash
{
    public static uint Of(GrainId grainId) => Of(grainId.ToString());

    /// <summary>FNV-1a over the UTF-8 bytes, then a final avalanche so close keys spread over the ring.</summary>
    public static uint Of(string value)
    {
        const uint offset = 2166136261;
        const uint prime = 16777619;
        var hash = offset;
        Span<byte> buffer = stackalloc byte[256];
        var bytes = Encoding.UTF8.GetByteCount(value) <= buffer.Length ? buffer[..Encoding.UTF8.GetBytes(value, buffer)] : Encoding.UTF8.GetBytes(value);
        foreach (var b in bytes)
        {
            hash ^= b;
            hash *= prime;
        }
        hash ^= hash >> 16;
        hash *= 0x85ebca6b;
        hash ^= hash >> 13;
        hash *= 0xc2b2ae35;
        hash ^= hash >> 16;
        return hash;
    }
}
