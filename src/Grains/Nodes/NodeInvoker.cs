using OpenClaw.Grains.Gateway;
using OpenClaw.Grains.Interfaces;

namespace OpenClaw.Grains.Nodes;

/// <summary>
/// Sends <c>node.invoke.request</c> to one node's socket and waits for its <c>node.invoke.result</c>.
/// A result is accepted only from the socket the request went to, for an id this tenant issued;
/// anything else is ignored with an error to the sender. Waits are bounded (timeout → the node gets
/// <c>node.invoke.cancel</c>), the number in flight is bounded, and a node whose socket closes fails
/// its invokes at once. Used only on the activation's turns.
/// </summary>
internal sealed class NodeInvoker
{
    private readonly GatewayContext _context;
    private readonly NodeOptions _options;
    private readonly Dictionary<string, PendingInvoke> _pending = new(StringComparer.Ordinal);

    public NodeInvoker(GatewayContext context, NodeOptions options)
    {
        _context = context;
        _options = options;
        context.Connections.Changed += (connection, opened) =>
        {
            if (!opened)
            {
                FailConnection(connection.ConnectionId);
            }
        };
    }

    public int PendingCount => _pending.Count;

    /// <summary>Clamps a caller's <c>timeoutMs</c> to the configured maximum (default when absent).</summary>
    public TimeSpan Timeout(long? timeoutMs) => timeoutMs is { } ms && ms > 0
        ? TimeSpan.FromMilliseconds(Math.Min(ms, (long)_options.MaxInvokeTimeout.TotalMilliseconds))
        : _options.InvokeTimeout;

    /// <summary>
    /// Invokes <paramref name="command"/> on <paramref name="node"/>. Throws <see cref="NodeInvokeException"/> when
    /// it cannot be sent; a timeout, a disconnect or a node error is a failed result; cancellation
    /// cancels the invoke on the node and throws.
    /// </summary>
    public async Task<NodeInvokeResult> InvokeAsync(
        NodeView node,
        string command,
        string? paramsJson,
        TimeSpan timeout,
        string? idempotencyKey,
        string? sessionKey,
        Action<string>? onProgress,
        CancellationToken cancellationToken)
    {
        if (!node.Declares(command))
        {
            throw new NodeInvokeException(NodeInvokeException.CommandNotDeclared, $"node {node.NodeId} does not declare the command \"{command}\"");
        }

        if (_pending.Count >= _options.MaxPendingInvokes)
        {
            throw new NodeInvokeException(NodeInvokeException.TooManyPending, $"too many node invokes in flight (at most {_options.MaxPendingInvokes}); try again when some have finished");
        }

        cancellationToken.ThrowIfCancellationRequested();
        var pending = new PendingInvoke(Guid.NewGuid().ToString(), node.NodeId, node.Connection.ConnectionId, onProgress);
        _pending.Add(pending.Id, pending);
        try
        {
            _context.Events.Publish(new TenantEvent("node.invoke.request", JsonPayload.Object(writer =>
            {
                writer.WriteString("id", pending.Id);
                writer.WriteString("nodeId", node.NodeId);
                writer.WriteString("command", command);
                writer.WriteStringOrNull("paramsJSON", paramsJson);
                writer.WriteNumber("timeoutMs", (long)timeout.TotalMilliseconds);
                if (idempotencyKey is not null) writer.WriteString("idempotencyKey", idempotencyKey);
                if (sessionKey is not null) writer.WriteString("sessionKey", sessionKey);
            }))
            {
                Audience = [node.Connection.ConnectionId],
            });

            try
            {
                return await pending.Completion.Task.WaitAsync(timeout, _context.Time, cancellationToken);
            }
            catch (TimeoutException)
            {
                NodeLog.InvokeTimedOut(_context.Logger, _context.TenantId, node.NodeId, command, pending.Id);
                Cancel(pending);
                return NodeInvokeResult.Failure(NodeInvokeResult.Timeout, $"node {node.NodeId} did not answer {command} within {(long)timeout.TotalMilliseconds} ms");
            }
            catch (OperationCanceledException)
            {
                Cancel(pending);
                throw;
            }
        }
        finally
        {
            _pending.Remove(pending.Id);
        }
    }

    /// <summary>Completes an invoke with the node's result; false when <paramref name="connectionId"/> has no pending invoke with that id.</summary>
    public bool Complete(string connectionId, string id, string nodeId, NodeInvokeResult result)
    {
        if (!TryGetOwn(connectionId, id, nodeId, out var pending))
        {
            NodeLog.ResultIgnored(_context.Logger, _context.TenantId, id, connectionId);
            return false;
        }

        pending.Completion.TrySetResult(result);
        return true;
    }

    /// <summary>
    /// Passes on a streamed chunk. Returns null when accepted (or a repeated seq, ignored), else
    /// why it was refused.
    /// </summary>
    public string? Progress(string connectionId, string invokeId, string nodeId, long seq, string chunk)
    {
        if (!TryGetOwn(connectionId, invokeId, nodeId, out var pending))
        {
            return $"no pending invoke \"{invokeId}\" for this node";
        }

        if (seq < pending.NextSeq)
        {
            return null;
        }

        if (seq > pending.NextSeq)
        {
            return $"progress out of order: expected seq {pending.NextSeq}, got {seq}";
        }

        if (pending.ProgressChars + chunk.Length > _options.MaxProgressBytes)
        {
            return $"progress of invoke \"{invokeId}\" is over its limit ({_options.MaxProgressBytes} chars); send the rest with the result";
        }

        pending.NextSeq++;
        pending.ProgressChars += chunk.Length;
        pending.OnProgress?.Invoke(chunk);
        return null;
    }

    /// <summary>Fails every invoke sent to a socket that closed.</summary>
    public void FailConnection(string connectionId)
    {
        var failed = _pending.Values.Where(entry => entry.ConnectionId == connectionId).ToList();
        if (failed.Count > 0)
        {
            NodeLog.InvokesFailedOnDisconnect(_context.Logger, _context.TenantId, connectionId, failed.Count);
        }

        foreach (var pending in failed)
        {
            pending.Completion.TrySetResult(NodeInvokeResult.Failure(NodeInvokeResult.Disconnected, $"node {pending.NodeId} disconnected"));
        }
    }

    private bool TryGetOwn(string connectionId, string id, string nodeId, out PendingInvoke pending) =>
        _pending.TryGetValue(id, out pending!) && pending.ConnectionId == connectionId && pending.NodeId == nodeId;

    private void Cancel(PendingInvoke pending)
    {
        if (_context.Connections.Find(pending.ConnectionId) is null)
        {
            return;
        }

        _context.Events.Publish(new TenantEvent("node.invoke.cancel", JsonPayload.Object(writer =>
        {
            writer.WriteString("invokeId", pending.Id);
            writer.WriteString("nodeId", pending.NodeId);
        }))
        {
            Audience = [pending.ConnectionId],
        });
    }

    private sealed class PendingInvoke(string id, string nodeId, string connectionId, Action<string>? onProgress)
    {
        public string Id { get; } = id;
        public string NodeId { get; } = nodeId;
        public string ConnectionId { get; } = connectionId;
        public Action<string>? OnProgress { get; } = onProgress;
        public TaskCompletionSource<NodeInvokeResult> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public long NextSeq { get; set; }
        public long ProgressChars { get; set; }
    }
}
