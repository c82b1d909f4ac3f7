using System.Text.Json;
using OpenClaw.Grains.Gateway;
using OpenClaw.Grains.Interfaces;

namespace OpenClaw.Grains.Nodes;

/// <summary>A connected node of the tenant: its id and the socket it is connected on now.</summary>
internal sealed record NodeView(string NodeId, GatewayConnectionInfo Connection)
{
    public bool Declares(string command) => Connection.Commands.Contains(command, StringComparer.Ordinal);
}

/// <summary>
/// The tenant's nodes: its <c>role:"node"</c> connections (<see cref="TenantConnections"/>). A node
/// belongs to the tenant whose token it connected with, and is approved within that tenant
/// automatically (there is no owner at a console); nothing here ever looks at another tenant.
/// What a node reports after connecting (plugin tools, skills, …) and an operator's rename are
/// kept per node id, bounded, for the activation's lifetime.
/// </summary>
internal sealed class TenantNodes(TenantConnections connections, NodeOptions options)
{
    internal const int MaxRemembered = 256;
    internal const int MaxDisplayNameChars = 200;

    private readonly Dictionary<string, NodeMetadata> _metadata = new(StringComparer.Ordinal);

    /// <summary>The verified device id, else the client's instance id, else the connection id.</summary>
    public static string NodeIdOf(GatewayConnectionInfo connection) =>
        !string.IsNullOrEmpty(connection.DeviceId) ? connection.DeviceId
        : !string.IsNullOrEmpty(connection.InstanceId) ? connection.InstanceId
        : connection.ConnectionId;

    /// <summary>Connected nodes, one per node id (the newest socket when a node reconnected before the old one closed).</summary>
    public IReadOnlyList<NodeView> Connected() =>
        connections.All
            .Where(connection => connection.Role == GatewayRoles.Node)
            .GroupBy(NodeIdOf, StringComparer.Ordinal)
            .Select(group => new NodeView(group.Key, group.MaxBy(connection => connection.ConnectedAtMs)!))
            .OrderBy(node => node.NodeId, StringComparer.Ordinal)
            .ToList();

    public NodeView? Find(string nodeId) => Connected().FirstOrDefault(node => node.NodeId == nodeId);

    /// <summary>The node a node-role connection is, or null when the connection is unknown or no node.</summary>
    public NodeView? ForConnection(string connectionId)
    {
        var connection = connections.Find(connectionId);
        return connection is null || connection.Role != GatewayRoles.Node ? null : new NodeView(NodeIdOf(connection), connection);
    }

    public string DisplayName(NodeView node) =>
        Metadata(node.NodeId, create: false)?.DisplayName ?? node.Connection.DisplayName ?? node.NodeId;

    public void Rename(string nodeId, string displayName) => Metadata(nodeId, create: true)!.DisplayName = displayName;

    /// <summary>Stores a document a node reported (<c>pluginTools</c>, <c>skills</c>, …); false when it is over the size cap.</summary>
    public bool Store(string nodeId, string kind, string json)
    {
        if (json.Length > options.MaxNodeMetadataBytes)
        {
            return false;
        }

        Metadata(nodeId, create: true)!.Documents[kind] = json;
        return true;
    }

    public string? Stored(string nodeId, string kind) =>
        Metadata(nodeId, create: false)?.Documents.GetValueOrDefault(kind);

    public void Forget(string nodeId) => _metadata.Remove(nodeId);

    /// <summary>Writes the <c>node.list</c> entry of a node (the reference's fields).</summary>
    public void Write(Utf8JsonWriter writer, NodeView node)
    {
        var connection = node.Connection;
        writer.WriteStartObject();
        writer.WriteString("nodeId", node.NodeId);
        writer.WriteString("displayName", DisplayName(node));
        writer.WriteStringOrNull("platform", connection.Platform);
        writer.WriteStringOrNull("version", connection.Version);
        writer.WriteStringOrNull("clientId", connection.ClientId);
        writer.WriteStringOrNull("clientMode", connection.ClientMode);
        writer.WriteStringOrNull("deviceFamily", connection.DeviceFamily);
        if (connection.RemoteIp is not null)
        {
            writer.WriteString("remoteIp", connection.RemoteIp);
        }

        writer.WriteStringArray("caps", connection.Caps);
        writer.WriteStringArray("commands", connection.Commands);
        if (connection.Permissions is { } permissions)
        {
            writer.WriteStartObject("permissions");
            foreach (var (name, granted) in permissions)
            {
                writer.WriteBoolean(name, granted);
            }

            writer.WriteEndObject();
        }

        writer.WriteBoolean("sessionHost", false);
        writer.WriteRawProperty("nodePluginTools", Stored(node.NodeId, NodeDocuments.PluginTools) ?? "[]");
        if (connection.PathEnv is not null)
        {
            writer.WriteString("pathEnv", connection.PathEnv);
        }

        writer.WriteString("approvalState", "approved");
        writer.WriteNumber("connectedAtMs", connection.ConnectedAtMs);
        writer.WriteNumber("lastConnectedAtMs", connection.ConnectedAtMs);
        writer.WriteNumber("lastSeenAtMs", connection.ConnectedAtMs);
        writer.WriteString("lastSeenReason", "connect");
        writer.WriteNumber("approvedAtMs", connection.ConnectedAtMs);
        writer.WriteBoolean("paired", true);
        writer.WriteBoolean("connected", true);
        writer.WriteEndObject();
    }

    /// <summary>Writes the extra <c>node.describe</c> fields: what the node reported after connecting.</summary>
    public void WriteReported(Utf8JsonWriter writer, NodeView node)
    {
        writer.WriteRawProperty("skills", Stored(node.NodeId, NodeDocuments.Skills) ?? "[]");
        if (Stored(node.NodeId, NodeDocuments.RunnerInventory) is { } inventory)
        {
            writer.WriteRawProperty("runnerInventory", inventory);
        }

        if (Stored(node.NodeId, NodeDocuments.SkillBins) is { } bins)
        {
            writer.WriteRawProperty("skillBins", bins);
        }

        if (Stored(node.NodeId, NodeDocuments.HostStats) is { } stats)
        {
            writer.WriteRawProperty("hostStats", stats);
        }
    }

    private NodeMetadata? Metadata(string nodeId, bool create)
    {
        if (_metadata.TryGetValue(nodeId, out var metadata) || !create)
        {
            return metadata;
        }

        if (_metadata.Count >= MaxRemembered)
        {
            // Forget a node that is not connected first; else the oldest entry.
            var connected = Connected().Select(node => node.NodeId).ToHashSet(StringComparer.Ordinal);
            var victim = _metadata.Keys.FirstOrDefault(id => !connected.Contains(id)) ?? _metadata.Keys.First();
            _metadata.Remove(victim);
        }

        metadata = new NodeMetadata();
        _metadata[nodeId] = metadata;
        return metadata;
    }

    private sealed class NodeMetadata
    {
        public string? DisplayName { get; set; }

        public Dictionary<string, string> Documents { get; } = new(StringComparer.Ordinal);
    }
}

/// <summary>The kinds of document a node reports after connecting.</summary>
internal static class NodeDocuments
{
    public const string PluginTools = "pluginTools";
    public const string Skills = "skills";
    public const string RunnerInventory = "runnerInventory";
    public const string SkillBins = "skillBins";
    public const string HostStats = "hostStats";
}
