using System.Reflection;
using System.Text.Json;

namespace OpenClaw.Runtime;

/// <summary>
/// Copies values that cross a grain boundary so that caller and callee never share a mutable
/// object. Immutable values (primitives, strings, references, <see cref="ImmutableAttribute"/>
/// types) pass as they are; everything else takes a JSON round trip through
/// <see cref="GrainSerializer"/>, exactly what a remote hop would do.
/// </summary>
public static class GrainCopier
{
    public static T Copy<T>(T value)
    {
        if (CopyPolicy<T>.IsImmutable || value is null) return value;
        if (typeof(T) == typeof(JsonElement)) return (T)(object)((JsonElement)(object)value!).Clone();
        if (value is IAddressable) return value; // a reference held in a variable of a non-reference type
        var bytes = GrainSerializer.SerializeToUtf8Bytes(value);
        return GrainSerializer.Deserialize<T>(bytes)!;
    }

    /// <summary>True when values of <paramref name="type"/> can be shared without copying.</summary>
    public static bool IsImmutableType(Type type)
    {
        if (type.IsPrimitive || type.IsEnum) return true;
        if (type == typeof(string) || type == typeof(decimal) || type == typeof(Guid) || type == typeof(DateTime)
            || type == typeof(DateTimeOffset) || type == typeof(TimeSpan) || type == typeof(Uri) || type == typeof(None))
            return true;
        if (typeof(IAddressable).IsAssignableFrom(type) && (type.IsInterface || typeof(GrainReference).IsAssignableFrom(type)))
            return true;
        if (Nullable.GetUnderlyingType(type) is { } underlying) return IsImmutableType(underlying);
        return type.GetCustomAttribute<ImmutableAttribute>() is not null;
    }

    private static class CopyPolicy<T>
    {
        public static readonly bool IsImmutable = IsImmutableType(typeof(T));
    }
}
