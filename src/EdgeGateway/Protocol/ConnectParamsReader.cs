using System.Text.Json;

namespace OpenClaw.EdgeGateway.Protocol;

/// <summary>
/// Validates <c>connect</c> params against the <c>ConnectParams</c> schema and reports the first
/// problem in the schema validator's wording (<c>at /client: must have required property 'id'</c>).
/// Unknown properties are tolerated (newer clients may add fields); the known ones must have the
/// right types.
/// </summary>
internal static class ConnectParamsReader
{
    public static bool TryRead(JsonElement? parameters, out ConnectParams? result, out string? error)
    {
        result = null;
        try
        {
            result = Read(parameters);
            error = null;
            return true;
        }
        catch (ConnectParamsException ex)
        {
            error = ex.Message;
            return false;
        }
    }

    private static ConnectParams Read(JsonElement? parameters)
    {
        if (parameters is not { ValueKind: JsonValueKind.Object } root) throw Fail("", "must be object");

        var minProtocol = RequiredInt(root, "minProtocol", "");
        var maxProtocol = RequiredInt(root, "maxProtocol", "");

        if (!root.TryGetProperty("client", out var clientElement)) throw Missing("", "client");
        if (clientElement.ValueKind != JsonValueKind.Object) throw Fail("/client", "must be object");
        var client = new ConnectClient(
            Id: RequiredString(clientElement, "id", "/client"),
            DisplayName: OptionalString(clientElement, "displayName", "/client"),
            Version: RequiredString(clientElement, "version", "/client"),
            Platform: RequiredString(clientElement, "platform", "/client"),
            DeviceFamily: OptionalString(clientElement, "deviceFamily", "/client"),
            Mode: RequiredString(clientElement, "mode", "/client"),
            InstanceId: OptionalString(clientElement, "instanceId", "/client"));

        var role = OptionalString(root, "role", "") ?? ProtocolConstants.DefaultRole;
        if (!ProtocolConstants.Roles.Contains(role)) throw Fail("/role", "must be equal to one of the allowed values (operator, node, worker)");

        var scopes = OptionalStringArray(root, "scopes");
        var caps = OptionalStringArray(root, "caps");

        var auth = new ConnectAuth();
        if (root.TryGetProperty("auth", out var authElement))
        {
            if (authElement.ValueKind != JsonValueKind.Object) throw Fail("/auth", "must be object");
            auth = new ConnectAuth
            {
                Token = OptionalString(authElement, "token", "/auth", allowEmpty: true),
                Password = OptionalString(authElement, "password", "/auth", allowEmpty: true),
                DeviceToken = OptionalString(authElement, "deviceToken", "/auth", allowEmpty: true),
                BootstrapToken = OptionalString(authElement, "bootstrapToken", "/auth", allowEmpty: true),
            };
        }

        ConnectDevice? device = null;
        if (root.TryGetProperty("device", out var deviceElement) && deviceElement.ValueKind != JsonValueKind.Null)
        {
            if (deviceElement.ValueKind != JsonValueKind.Object) throw Fail("/device", "must be object");
            device = new ConnectDevice(
                Id: RequiredString(deviceElement, "id", "/device"),
                PublicKey: RequiredString(deviceElement, "publicKey", "/device"),
                Signature: RequiredString(deviceElement, "signature", "/device"),
                SignedAt: RequiredLong(deviceElement, "signedAt", "/device"),
                Nonce: OptionalString(deviceElement, "nonce", "/device", allowEmpty: true));
        }

        return new ConnectParams(minProtocol, maxProtocol, client, role, scopes, caps, auth, device);
    }

    private static int RequiredInt(JsonElement parent, string name, string path)
    {
        var value = RequiredLong(parent, name, path);
        if (value > int.MaxValue) throw Fail($"{path}/{name}", "must be <= 2147483647");
        return (int)value;
    }

    private static long RequiredLong(JsonElement parent, string name, string path)
    {
        if (!parent.TryGetProperty(name, out var element)) throw Missing(path, name);
        if (element.ValueKind != JsonValueKind.Number || !element.TryGetInt64(out var value)) throw Fail($"{path}/{name}", "must be integer");
        if (value < 0) throw Fail($"{path}/{name}", "must be >= 0");
        return value;
    }

    private static string RequiredString(JsonElement parent, string name, string path)
    {
        if (!parent.TryGetProperty(name, out _)) throw Missing(path, name);
        return OptionalString(parent, name, path)!;
    }

    private static string? OptionalString(JsonElement parent, string name, string path, bool allowEmpty = false)
    {
        if (!parent.TryGetProperty(name, out var element)) return null;
        if (element.ValueKind != JsonValueKind.String) throw Fail($"{path}/{name}", "must be string");
        var value = element.GetString()!;
        if (!allowEmpty && value.Length == 0) throw Fail($"{path}/{name}", "must NOT have fewer than 1 characters");
        return value;
    }

    private static IReadOnlyList<string> OptionalStringArray(JsonElement parent, string name)
    {
        if (!parent.TryGetProperty(name, out var element)) return [];
        if (element.ValueKind != JsonValueKind.Array) throw Fail($"/{name}", "must be array");
        var values = new List<string>(element.GetArrayLength());
        var index = 0;
        foreach (var item in element.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.String) throw Fail($"/{name}/{index}", "must be string");
            values.Add(item.GetString()!);
            index++;
        }
        return values;
    }

    private static ConnectParamsException Missing(string path, string property) =>
        Fail(path, $"must have required property '{property}'");

    private static ConnectParamsException Fail(string path, string problem) =>
        new($"at {(path.Length == 0 ? "root" : path)}: {problem}");

    private sealed class ConnectParamsException(string message) : Exception(message);
}
