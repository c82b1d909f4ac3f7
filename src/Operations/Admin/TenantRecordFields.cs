using OpenClaw.Grains.Interfaces;

namespace OpenClaw.Operations.Admin;

/// <summary>The record fields whose shape the registry decides (status, update time), read in one place.</summary>
internal static class TenantRecordFields
{
    public static TenantStatus StatusOf(TenantRecord record) => record.Status;

    public static TenantRecord WithStatus(TenantRecord record, TenantStatus status) => record with { Status = status };

    public static DateTimeOffset? UpdatedAtOf(TenantRecord record) => record.UpdatedAt == default ? null : record.UpdatedAt;
}
