namespace OpenClaw.Runtime;

/// <summary>A single silo: a grain is active when this silo's catalog holds it.</summary>
internal sealed class LocalGrainActivationLookup(Catalog catalog) : IGrainActivationLookup
{
    public Task<bool> IsActiveAsync(GrainId grainId, CancellationToken cancellationToken) =>
        Task.FromResult(catalog.TryGetActivation(grainId, out _));
}
