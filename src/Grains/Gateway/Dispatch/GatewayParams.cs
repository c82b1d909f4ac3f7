using System.Text.Json;

namespace OpenClaw.Grains.Gateway;

/// <summary>
/// Typed, validating access to a request's <c>params</c> object. Every accessor throws
/// <see cref="GatewayParamsException"/> with a message in the style of the reference gateway's
/// schema errors. Unknown properties are ignored (clients send fields this gateway does not use).
/// A JSON <c>null</c> counts as absent for optional fields.
/// </summary>
internal readonly struct GatewayParams
{
    private const double MaxSafeInteger = 9007199254740991;

    private readonly JsonElement _root;

    public GatewayParams(JsonElement root) => _root = root;

    /// <summary>Params of a request that sent none (<c>{}</c>).</summary>
    public static GatewayParams Empty { get; } = new(default);

    public string RequiredString(string name, int maxLength = int.MaxValue, bool allowEmpty = false)
    {
        if (!TryGet(name, out var value))
        {
            throw new GatewayParamsException($"must have required property '{name}'");
        }

        return CheckString(name, value, maxLength, allowEmpty);
    }

    public string? OptionalString(string name, int maxLength = int.MaxValue, bool allowEmpty = true) =>
        TryGet(name, out var value) ? CheckString(name, value, maxLength, allowEmpty) : null;

    public long? OptionalInteger(string name, long min = long.MinValue, long max = long.MaxValue)
    {
        if (!TryGet(name, out var value))
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.Number || !value.TryGetInt64(out var number))
        {
            // 5.0 is an integer in JSON Schema terms.
            if (value.ValueKind == JsonValueKind.Number && value.TryGetDouble(out var real)
                && real == Math.Floor(real) && Math.Abs(real) <= MaxSafeInteger)
            {
                number = (long)real;
            }
            else
            {
                throw new GatewayParamsException($"'{name}' must be an integer");
            }
        }

        if (number < min)
        {
            throw new GatewayParamsException($"'{name}' must be >= {min}");
        }

        if (number > max)
        {
            throw new GatewayParamsException($"'{name}' must be <= {max}");
        }

        return number;
    }

    public bool? OptionalBoolean(string name)
    {
        if (!TryGet(name, out var value))
        {
            return null;
        }

        return value.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => throw new GatewayParamsException($"'{name}' must be a boolean"),
        };
    }

    /// <summary>An optional nested object (for example <c>config.patch</c>'s <c>raw</c>).</summary>
    public JsonElement? OptionalElement(string name) => TryGet(name, out var value) ? value : null;

    /// <summary>An optional array; only its presence and type are checked.</summary>
    public int? OptionalArrayLength(string name)
    {
        if (!TryGet(name, out var value))
        {
            return null;
        }

        return value.ValueKind == JsonValueKind.Array
            ? value.GetArrayLength()
            : throw new GatewayParamsException($"'{name}' must be an array");
    }

    private bool TryGet(string name, out JsonElement value)
    {
        if (_root.ValueKind == JsonValueKind.Object && _root.TryGetProperty(name, out value) && value.ValueKind != JsonValueKind.Null)
        {
            return true;
        }

        value = default;
        return false;
    }

    private static string CheckString(string name, JsonElement value, int maxLength, bool allowEmpty)
    {
        if (value.ValueKind != JsonValueKind.String)
        {
            throw new GatewayParamsException($"'{name}' must be a string");
        }

        var text = value.GetString()!;
        if (!allowEmpty && string.IsNullOrWhiteSpace(text))
        {
            throw new GatewayParamsException($"'{name}' must NOT be empty");
        }

        if (text.Length > maxLength)
        {
            throw new GatewayParamsException($"'{name}' must NOT have more than {maxLength} characters");
        }

        return text;
    }
}
