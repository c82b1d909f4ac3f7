using System.Text.Json;
using OpenClaw.Grains.Interfaces;

namespace OpenClaw.Grains.Gateway;

/// <summary>
/// Answers a tenant's protocol calls: finds the method's handler, checks the connection's scopes,
/// refuses calls while the tenant is unavailable, parses the params and runs the handler. Bad
/// input becomes the protocol's error shape; nothing thrown by a handler leaves the dispatcher.
/// Independent of the grain runtime, so it is tested directly.
/// </summary>
internal sealed class GatewayDispatcher
{
    private static readonly JsonDocumentOptions ParseOptions = new() { MaxDepth = 64 };

    private readonly GatewayContext _context;
    private readonly GatewayMethodTable _table = new();

    public GatewayDispatcher(GatewayContext context)
    {
        _context = context;
        IGatewayMethodGroup[] groups =
        [
            new HealthMethods(context),
            new NodeMethods(context),
            new NodeRoleMethods(context),
            new ApprovalMethods(context),
            new SessionMethods(context),
            new ChatMethods(context),
            new AgentMethods(context),
            new ConfigMethods(context),
            new ClientListMethods(context),
            new CronMethods(context),
            new HeartbeatMethods(context),
        ];
        foreach (var group in groups)
        {
            group.Register(_table);
        }
    }

    /// <summary>The methods this dispatcher answers.</summary>
    public IEnumerable<string> Methods => _table.Methods;

    public async Task<GatewayReply> InvokeAsync(GatewayCall call)
    {
        if (!_table.TryGet(call.Method, out var handler, out var requiredScope))
        {
            return GatewayReplies.UnknownMethod(call.Method);
        }

        if (!GatewayMethodCatalog.IsAllowed(call.Role, call.Scopes, requiredScope))
        {
            return requiredScope == GatewayMethodCatalog.RoleNode
                ? GatewayReplies.NodeRoleRequired(call.Method)
                : GatewayReplies.MissingScope(requiredScope!);
        }

        if (_context.Tenant is null)
        {
            return GatewayReplies.Unavailable(_context.UnavailableReason);
        }

        JsonDocument? document = null;
        try
        {
            if (!TryParseParams(call, out document, out var parameters, out var error))
            {
                return GatewayReplies.InvalidParams(call.Method, error);
            }

            return await handler(new GatewayRequest(call, parameters));
        }
        catch (GatewayParamsException exception)
        {
            return GatewayReplies.InvalidParams(call.Method, exception.Message);
        }
        catch (Exception exception)
        {
            UserGrainLog.HandlerFailed(_context.Logger, _context.TenantId, call.Method, call.RequestId, exception);
            return GatewayReplies.Unavailable($"{call.Method} failed: internal error", retryable: true);
        }
        finally
        {
            document?.Dispose();
        }
    }

    private static bool TryParseParams(GatewayCall call, out JsonDocument? document, out GatewayParams parameters, out string error)
    {
        document = null;
        parameters = GatewayParams.Empty;
        error = "";
        if (string.IsNullOrWhiteSpace(call.ParamsJson))
        {
            return true;
        }

        try
        {
            document = JsonDocument.Parse(call.ParamsJson, ParseOptions);
        }
        catch (JsonException)
        {
            error = "params must be valid JSON";
            return false;
        }

        switch (document.RootElement.ValueKind)
        {
            case JsonValueKind.Object:
                parameters = new GatewayParams(document.RootElement);
                return true;
            case JsonValueKind.Null:
                return true;
            default:
                error = "params must be an object";
                return false;
        }
    }
}
