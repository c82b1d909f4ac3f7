using Microsoft.Extensions.Options;
using OpenClaw.Grains.Tenants;

namespace OpenClaw.Grains.Workspace;

/// <summary>
/// Hands out each tenant's <see cref="TenantWorkspace"/>: the overlay is
/// <c>{WorkspaceRoot}/{tenantId}</c> (tenant ids are validated by <see cref="TenantIds"/>, so they
/// are plain directory names), the template is <see cref="WorkspaceOptions.TemplatePath"/>.
/// </summary>
public sealed class TenantWorkspaceFactory
{
    private readonly string _workspaceRoot;
    private readonly string? _templateRoot;
    private readonly long _maxFileBytes;
    private readonly WorkspaceQuota _quota;

    public TenantWorkspaceFactory(IOptions<WorkspaceOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var value = options.Value;
        var validation = new WorkspaceOptionsValidator().Validate(Options.DefaultName, value);
        if (validation.Failed)
        {
            throw new OptionsValidationException(Options.DefaultName, typeof(WorkspaceOptions), validation.Failures ?? []);
        }

        _workspaceRoot = Path.GetFullPath(value.WorkspaceRoot);
        _templateRoot = string.IsNullOrWhiteSpace(value.TemplatePath) ? null : Path.GetFullPath(value.TemplatePath);
        _maxFileBytes = value.MaxFileBytes;
        _quota = new WorkspaceQuota(value.MaxWorkspaceBytes, value.MaxWorkspaceFiles);
    }

    public TenantWorkspace ForTenant(string tenantId)
    {
        TenantIds.Validate(tenantId);
        return new TenantWorkspace(Path.Join(_workspaceRoot, tenantId), _templateRoot, _maxFileBytes, _quota);
    }
}
