namespace OpenClaw.Runtime.Tests.Persistence;

public sealed class FileGrainStorageContractTests : GrainStorageContractTests
{
    private readonly TempDirectory _directory = new();

    protected override IGrainStorage CreateStorageInstance() =>
        new FileGrainStorage("test", new FileGrainStorageOptions { RootDirectory = Path.Combine(_directory.Path, "root") });

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        _directory.Dispose();
    }
}
