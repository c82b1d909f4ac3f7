using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using OpenClaw.Runtime.Postgres;

namespace OpenClaw.Runtime.Tests.Persistence;

public sealed class GrainStorageRegistrationTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task File_storage_is_a_keyed_singleton_under_its_name()
    {
        var services = new ServiceCollection()
            .AddLogging()
            .AddFileGrainStorage(GrainStorageNames.Default, o => o.RootDirectory = Path.Combine(_directory.Path, "default"))
            .AddFileGrainStorage("archive", o => o.RootDirectory = Path.Combine(_directory.Path, "archive"));
        await using var provider = services.BuildServiceProvider();

        var byDefault = provider.GetRequiredKeyedService<IGrainStorage>(GrainStorageNames.Default);
        var archive = provider.GetRequiredKeyedService<IGrainStorage>("archive");

        Assert.Same(byDefault, provider.GetRequiredKeyedService<IGrainStorage>(GrainStorageNames.Default));
        Assert.Equal(Path.Combine(_directory.Path, "default"), Assert.IsType<FileGrainStorage>(byDefault).RootDirectory);
        Assert.Equal(Path.Combine(_directory.Path, "archive"), Assert.IsType<FileGrainStorage>(archive).RootDirectory);
    }

    [Fact]
    public async Task Postgres_storage_is_a_keyed_singleton_that_connects_only_when_used()
    {
        var services = new ServiceCollection()
            .AddPostgresGrainStorage("cluster", o => o.ConnectionString = "Host=127.0.0.1;Port=1;Username=nobody;Database=nothing");
        await using var provider = services.BuildServiceProvider();

        Assert.IsType<PostgresGrainStorage>(provider.GetRequiredKeyedService<IGrainStorage>("cluster"));
    }

    [Fact]
    public async Task An_empty_root_directory_fails_on_resolve_with_a_clear_message()
    {
        await using var provider = new ServiceCollection().AddFileGrainStorage("files", _ => { }).BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredKeyedService<IGrainStorage>("files"));

        Assert.Contains("File grain storage 'files'", error.Message, StringComparison.Ordinal);
        Assert.Contains("RootDirectory is empty", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("Host=;;;=oops")]
    public async Task A_bad_connection_string_fails_on_resolve_with_a_clear_message(string connectionString)
    {
        await using var provider = new ServiceCollection().AddPostgresGrainStorage("cluster", o => o.ConnectionString = connectionString).BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredKeyedService<IGrainStorage>("cluster"));

        Assert.Contains("PostgreSQL grain storage 'cluster'", error.Message, StringComparison.Ordinal);
        Assert.Contains("ConnectionString", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bad_options_stop_the_host_from_starting()
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Services.AddPostgresGrainStorage(GrainStorageNames.Default, o => o.ConnectionString = " ");
        using var host = builder.Build();

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains("ConnectionString is empty", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_name_can_be_registered_once()
    {
        var services = new ServiceCollection().AddFileGrainStorage("x", o => o.RootDirectory = _directory.Path);

        var error = Assert.Throws<InvalidOperationException>(() => services.AddPostgresGrainStorage("x", o => o.ConnectionString = "Host=h"));

        Assert.Contains("'x'", error.Message, StringComparison.Ordinal);
    }
}
