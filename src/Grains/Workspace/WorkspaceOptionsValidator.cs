using Microsoft.Extensions.Options;

namespace OpenClaw.Grains.Workspace;

/// <summary>Rejects unusable <see cref="WorkspaceOptions"/> at startup.</summary>
public sealed class WorkspaceOptionsValidator : IValidateOptions<WorkspaceOptions>
{
    public ValidateOptionsResult Validate(string? name, WorkspaceOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (string.IsNullOrWhiteSpace(options.WorkspaceRoot))
        {
            failures.Add($"{nameof(WorkspaceOptions.WorkspaceRoot)} is required.");
        }
        else if (options.WorkspaceRoot.Contains('\0', StringComparison.Ordinal))
        {
            failures.Add($"{nameof(WorkspaceOptions.WorkspaceRoot)} contains a NUL character.");
        }

        if (options.TemplatePath is { } template && template.Contains('\0', StringComparison.Ordinal))
        {
            failures.Add($"{nameof(WorkspaceOptions.TemplatePath)} contains a NUL character.");
        }

        if (options.MaxFileBytes is <= 0 or > WorkspaceOptions.MaxAllowedFileBytes)
        {
            failures.Add($"{nameof(WorkspaceOptions.MaxFileBytes)} must be between 1 and {WorkspaceOptions.MaxAllowedFileBytes}.");
        }

        if (options.MaxWorkspaceBytes <= 0)
        {
            failures.Add($"{nameof(WorkspaceOptions.MaxWorkspaceBytes)} must be positive.");
        }

        if (options.MaxWorkspaceFiles <= 0)
        {
            failures.Add($"{nameof(WorkspaceOptions.MaxWorkspaceFiles)} must be positive.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
