using OpenClaw.Grains.Interfaces;

namespace OpenClaw.Grains.Gateway;

/// <summary>Method name → handler and required scope. Scopes come from <see cref="GatewayMethodCatalog"/>.</summary>
internal sealed class GatewayMethodTable
{
    private readonly Dictionary<string, Entry> _entries = new(StringComparer.Ordinal);

    public IEnumerable<string> Methods => _entries.Keys;

    public void Add(string method, GatewayMethodHandler handler)
    {
        if (!TryGetCatalogScope(method, out var scope))
        {
            throw new InvalidOperationException($"'{method}' is not in GatewayMethodCatalog; add it there with its scope first.");
        }

        _entries.Add(method, new Entry(handler, scope));
    }

    /// <summary>Registers a handler for a method whose result does not change (an immutable payload).</summary>
    public void AddConstant(string method, string payloadJson) =>
        Add(method, _ => Task.FromResult(GatewayReply.Success(payloadJson)));

    public bool TryGet(string method, out GatewayMethodHandler handler, out string? requiredScope)
    {
        if (_entries.TryGetValue(method, out var entry))
        {
            handler = entry.Handler;
            requiredScope = entry.Scope;
            return true;
        }

        handler = null!;
        requiredScope = null;
        return false;
    }

    private static bool TryGetCatalogScope(string method, out string? scope)
    {
        if (method == GatewayMethodCatalog.AgentFinal)
        {
            // The second phase of `agent` needs what `agent` needs.
            scope = GatewayMethodCatalog.Methods["agent"];
            return true;
        }

        return GatewayMethodCatalog.Methods.TryGetValue(method, out scope);
    }

    private sealed record Entry(GatewayMethodHandler Handler, string? Scope);
}
