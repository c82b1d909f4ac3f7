using System.Text;
using Microsoft.Extensions.DependencyInjection;
using OpenClaw.Grains.Archive;
using OpenClaw.Grains.Gateway;
using OpenClaw.Grains.Interfaces;
using OpenClaw.Runtime;

namespace OpenClaw.Grains;

/// <summary>
/// Export, import and purge of the tenant's own data. The grain owns its state, so these go
/// through it: before reading it writes what is dirty; before replacing or removing anything it
/// stops the runs and closes its in-memory state to further writes (a late background save can
/// then never bring back what was removed), and afterwards it deactivates, so the next call loads
/// what storage now holds.
/// </summary>
public sealed partial class UserGrain : IUserGrainArchive
{
    private const string ArchiveStopReason = "tenant-archive";

    public async Task<TenantStateArchive> Export(CancellationToken cancellationToken = default)
    {
        await _context.State.SaveAsync(cancellationToken);
        var records = await ArchiveRecords().ReadAllAsync(cancellationToken);
        var files = await ArchiveOverlay().ReadAllAsync(TenantArchiveRules.MaxFileBytes, TenantArchiveRules.MaxFiles, cancellationToken);
        return new TenantStateArchive
        {
            Records = [.. records.Select(record => new ArchivedStateRecord(record.Name, Encoding.UTF8.GetString(record.Data)))],
            Files = [.. files.Select(file => new ArchivedWorkspaceFile(file.Path, file.Content))],
        };
    }

    public async Task<TenantArchiveResult> Import(TenantStateArchive archive, bool replace, CancellationToken cancellationToken = default)
    {
        if (TenantArchiveRules.Problem(archive) is { } problem)
        {
            return new TenantArchiveResult(TenantArchiveOutcome.Invalid, 0, 0, problem);
        }

        var records = ArchiveRecords();
        var overlay = ArchiveOverlay();
        if (!replace && (await records.AnyAsync(cancellationToken) || overlay.Any()))
        {
            return new TenantArchiveResult(TenantArchiveOutcome.Conflict, 0, 0,
                $"tenant '{_context.TenantId}' already has sessions or workspace files; import with mode=replace to overwrite them");
        }

        await StopAndCloseStateAsync();
        try
        {
            await records.ClearAllAsync(cancellationToken);
            overlay.DeleteAll();
            // The index last: until it is written, a crash leaves a tenant that loads as empty.
            foreach (var record in archive.Records.OrderBy(record => record.Name == StateRecordNames.Index))
            {
                await records.WriteAsync(record.Name, record.Json, cancellationToken);
            }

            foreach (var file in archive.Files)
            {
                await overlay.WriteAsync(file.Path, file.Content, cancellationToken);
            }
        }
        finally
        {
            DeactivateOnIdle();
        }

        return new TenantArchiveResult(TenantArchiveOutcome.Done, archive.Records.Count, archive.Files.Count);
    }

    public async Task<TenantArchiveResult> Purge(CancellationToken cancellationToken = default)
    {
        await StopAndCloseStateAsync();
        try
        {
            var cleared = await ArchiveRecords().ClearAllAsync(cancellationToken);
            var files = ArchiveOverlay().DeleteAll();
            return new TenantArchiveResult(TenantArchiveOutcome.Done, cleared, files);
        }
        finally
        {
            DeactivateOnIdle();
        }
    }

    /// <summary>Aborts the runs, waits for a save in progress, and makes every later save of this activation a no-op.</summary>
    private async Task StopAndCloseStateAsync()
    {
        await _context.Runs.AbortAllAsync(ArchiveStopReason);
        _context.State.Close();
        await _context.State.SaveAsync(CancellationToken.None); // waits behind a save already writing, then does nothing
    }

    private TenantStateRecords ArchiveRecords() =>
        new(new LeaseFencedGrainStorage(
                ServiceProvider.GetRequiredKeyedService<IGrainStorage>(GrainStorageNames.Default), ServiceProvider.GetRequiredService<ISiloLease>()),
            GrainId.Type, _context.TenantId);

    private WorkspaceOverlayFiles ArchiveOverlay() => new(_workspaces.ForTenant(_context.TenantId).TenantRoot);
}
