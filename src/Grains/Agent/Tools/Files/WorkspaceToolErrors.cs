using OpenClaw.Grains.Workspace;

namespace OpenClaw.Grains.Agent.Tools.Files;

/// <summary>
/// Turns the workspace's refusals into tool errors the model can act on. Messages name
/// workspace-relative paths only (never a host path).
/// </summary>
internal static class WorkspaceToolErrors
{
    public const string PathRejected = "PATH_REJECTED";
    public const string TooLarge = "FILE_TOO_LARGE";
    public const string QuotaExceeded = "WORKSPACE_QUOTA_EXCEEDED";
    public const string NotFound = "NOT_FOUND";

    public static async Task<ToolResult> GuardAsync(Func<Task<ToolResult>> body)
    {
        try
        {
            return await body();
        }
        catch (WorkspacePathException exception)
        {
            throw new AgentToolException(exception.Message, PathRejected);
        }
        catch (WorkspaceFileTooLargeException exception)
        {
            throw new AgentToolException(exception.Message, TooLarge);
        }
        catch (WorkspaceQuotaExceededException exception)
        {
            throw new AgentToolException(exception.Message, QuotaExceeded);
        }
    }

    /// <summary>The canonical workspace-relative form of <paramref name="path"/> (throws when it is not allowed).</summary>
    public static string Normalize(string path, bool allowRoot = false) =>
        string.Join('/', WorkspacePaths.Split(path, allowRoot));
}
