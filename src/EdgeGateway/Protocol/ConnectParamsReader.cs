using System.Text.Json;

namespace OpenClaw.EdgeGateway.Protocol;

/// <summary>
/// Validates <c>connect</c> params against the <c>ConnectParams</c> schema and reports the first
/// problem in the schema validator's wording (<c>at /client: must have required property 'id'</c>).
/// Unknown properties are tolerated (newer clients may add fields); the known ones must have the
/// right types and stay within <see cref="ConnectParamsLimits"/>. The node fields of the closed
/// official schema are read too: <c>commands[]</c>, <c>permissions{string: bool}</c>, <c>pathEnv</c>;
/// <c>computerUse</c> and <c>workerRuns</c> (deprecated) are accepted whatever they hold.
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
        const int clientMax = ConnectParamsLimits.MaxClientFieldChars;
        var client = new ConnectClient(
            Id: RequiredString(clientElement, "id", "/client", clientMax),
            DisplayName: OptionalString(clientElement, "displayName", "/client", maxChars: clientMax),
            Version: RequiredString(clientElement, "version", "/client", clientMax),
            Platform: RequiredString(clientElement, "platform", "/client", clientMax),
            DeviceFamily: OptionalString(clientElement, "deviceFamily", "/client", maxChars: clientMax),
            Mode: RequiredString(clientElement, "mode", "/client", clientMax),
            InstanceId: OptionalString(clientElement, "instanceId", "/client", maxChars: clientMax));

        var role = OptionalString(root, "role", "") ?? ProtocolConstants.DefaultRole;
        if (!ProtocolConstants.Roles.Contains(role)) throw Fail("/role", "must be equal to one of the allowed values (operator, node, worker)");

        var scopes = OptionalStringArray(root, "scopes", ConnectParamsLimits.MaxScopes);
        var caps = OptionalStringArray(root, "caps", ConnectParamsLimits.MaxCaps);
        var commands = OptionalStringArray(root, "commands", ConnectParamsLimits.MaxCommands);
        var permissions = OptionalPermissions(root);
        var pathEnv = OptionalString(root, "pathEnv", "", allowEmpty: true, maxChars: ConnectParamsLimits.MaxPathEnvChars);

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
                ApprovalRuntimeToken = OptionalString(authElement, "approvalRuntimeToken", "/auth", allowEmpty: true),
                AgentRuntimeIdentityToken = OptionalString(authElement, "agentRuntimeIdentityToken", "/auth", allowEmpty: true),
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

        return new ConnectParams(minProtocol, maxProtocol, client, role, scopes, caps, auth, device)
        {
            Commands = commands,
            Permissions = permissions,
            PathEnv = pathEnv,
        };
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

    private static string RequiredString(JsonElement parent, string name, string path, int maxChars = int.MaxValue)
    {
        if (!parent.TryGetProperty(name, out _)) throw Missing(path, name);
        return OptionalString(parent, name, path, maxChars: maxChars)!;
    }

    private static string? OptionalString(JsonElement parent, string name, string path, bool allowEmpty = false, int maxChars = int.MaxValue)
    {
        if (!parent.TryGetProperty(name, out var element)) return null;
        if (element.ValueKind != JsonValueKind.String) throw Fail($"{path}/{name}", "must be string");
        var value = element.GetString()!;
        if (!allowEmpty && value.Length == 0) throw Fail($"{path}/{name}", "must NOT have fewer than 1 characters");
        if (value.Length > maxChars) throw TooLong($"{path}/{name}", maxChars);
        return value;
    }

    private static IReadOnlyList<string> OptionalStringArray(JsonElement parent, string name, int maxItems)
    {
        if (!parent.TryGetProperty(name, out var element)) return [];
        if (element.ValueKind != JsonValueKind.Array) throw Fail($"/{name}", "must be array");
        if (element.GetArrayLength() > maxItems) throw Fail($"/{name}", $"must NOT have more than {maxItems} items");
        var values = new List<string>(element.GetArrayLength());
        var index = 0;
        foreach (var item in element.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.String) throw Fail($"/{name}/{index}", "must be string");
            var value = item.GetString()!;
            if (value.Length > ConnectParamsLimits.MaxNameChars) throw TooLong($"/{name}/{index}", ConnectParamsLimits.MaxNameChars);
            values.Add(value);
            index++;
        }
        return values;
    }

    private static Dictionary<string, bool>? OptionalPermissions(JsonElement parent)
    {
        if (!parent.TryGetProperty("permissions", out var element) || element.ValueKind == JsonValueKind.Null) return null;
        if (element.ValueKind != JsonValueKind.Object) throw Fail("/permissions", "must be object");
        var permissions = new Dictionary<string, bool>(StringComparer.Ordinal);
        foreach (var property in element.EnumerateObject())
        {
            if (permissions.Count == ConnectParamsLimits.MaxPermissions)
                throw Fail("/permissions", $"must NOT have more than {ConnectParamsLimits.MaxPermissions} properties");
            if (property.Name.Length > ConnectParamsLimits.MaxNameChars)
                throw Fail("/permissions", $"property name must NOT have more than {ConnectParamsLimits.MaxNameChars} characters");
            if (property.Value.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
                throw Fail($"/permissions/{property.Name}", "must be boolean");
            permissions[property.Name] = property.Value.GetBoolean();
        }
        return permissions;
    }

    private static ConnectParamsException TooLong(string path, int maxChars) =>
        Fail(path, $"must NOT have more than {maxChars} characters");

    private static ConnectParamsException Missing(string path, string property) =>
        Fail(path, $"must have required property '{property}'");

    private static ConnectParamsException Fail(string path, string problem) =>
        new($"at {(path.Length == 0 ? "root" : path)}: {problem}");

    private sealed class ConnectParamsException(string message) : Exception(message);
}
