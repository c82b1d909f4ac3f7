using System.Text;
using System.Text.Json.Nodes;

namespace OpenClaw.Runtime.Tests.Persistence;

/// <summary>
/// The behaviour every <see cref="IGrainStorage"/> must have. Each provider's test class derives
/// from this one; <see cref="CreateStorage"/> returns a new provider instance over the same backing
/// store each time it is called (a second call is a "restart").
/// </summary>
public abstract class GrainStorageContractTests : IAsyncLifetime
{
    private readonly List<IGrainStorage> _storages = [];

    /// <summary>A grain type of its own for every test, so tests sharing a store never meet.</summary>
    protected string GrainType { get; } = "contract-" + Guid.NewGuid().ToString("N")[..12];

    protected abstract IGrainStorage CreateStorageInstance();

    protected IGrainStorage CreateStorage()
    {
        var storage = CreateStorageInstance();
        _storages.Add(storage);
        return storage;
    }

    public virtual Task InitializeAsync() => Task.CompletedTask;

    public virtual async Task DisposeAsync()
    {
        foreach (var storage in _storages)
        {
            if (storage is IAsyncDisposable disposable)
            {
                await disposable.DisposeAsync();
            }
        }
    }

    protected GrainStateKey Key(string grainKey = "grain-1", string stateName = "state") => new(GrainType, grainKey, stateName);

    protected static byte[] Json(string json) => Encoding.UTF8.GetBytes(json);

    /// <summary>Compares JSON by meaning: jsonb, for one, normalizes whitespace and key order.</summary>
    protected static void AssertSameJson(string expected, byte[]? actual)
    {
        Assert.NotNull(actual);
        var actualText = Encoding.UTF8.GetString(actual);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(expected), JsonNode.Parse(actualText)), $"Expected {expected} but read {actualText}");
    }

    [Fact]
    public async Task Reading_a_state_never_written_returns_null()
    {
        var storage = CreateStorage();

        Assert.Null(await storage.ReadAsync(Key(), CancellationToken.None));
    }

    [Fact]
    public async Task Written_state_reads_back()
    {
        var storage = CreateStorage();
        const string json = """{"name":"Zoë 🦀","count":3,"nested":{"items":[1,2,3],"flag":true,"none":null}}""";

        await storage.WriteAsync(Key(), Json(json), 0, CancellationToken.None);
        var stored = await storage.ReadAsync(Key(), CancellationToken.None);

        Assert.NotNull(stored);
        AssertSameJson(json, stored.Data);
        Assert.Equal(1, stored.Etag);
    }

    [Fact]
    public async Task Etag_starts_at_zero_and_counts_up_with_each_write()
    {
        var storage = CreateStorage();

        var first = await storage.WriteAsync(Key(), Json("""{"v":1}"""), 0, CancellationToken.None);
        var second = await storage.WriteAsync(Key(), Json("""{"v":2}"""), first, CancellationToken.None);
        var stored = await storage.ReadAsync(Key(), CancellationToken.None);

        Assert.Equal(1, first);
        Assert.Equal(2, second);
        Assert.Equal(2, stored!.Etag);
        AssertSameJson("""{"v":2}""", stored.Data);
    }

    [Fact]
    public async Task Stale_write_throws_and_leaves_the_stored_state_unchanged()
    {
        var storage = CreateStorage();
        await storage.WriteAsync(Key(), Json("""{"v":1}"""), 0, CancellationToken.None);
        await storage.WriteAsync(Key(), Json("""{"v":2}"""), 1, CancellationToken.None);

        var stale = await Assert.ThrowsAsync<InconsistentStateException>(
            () => storage.WriteAsync(Key(), Json("""{"v":"stale"}"""), 1, CancellationToken.None));
        var fromScratch = await Assert.ThrowsAsync<InconsistentStateException>(
            () => storage.WriteAsync(Key(), Json("""{"v":"new"}"""), 0, CancellationToken.None));

        Assert.Equal(2, stale.StoredEtag);
        Assert.Equal(1, stale.ExpectedEtag);
        Assert.Contains("ETag", stale.Message, StringComparison.Ordinal);
        Assert.Equal(2, fromScratch.StoredEtag);
        var stored = await storage.ReadAsync(Key(), CancellationToken.None);
        Assert.Equal(2, stored!.Etag);
        AssertSameJson("""{"v":2}""", stored.Data);
    }

    [Fact]
    public async Task Write_expecting_a_record_that_does_not_exist_throws()
    {
        var storage = CreateStorage();

        var error = await Assert.ThrowsAsync<InconsistentStateException>(
            () => storage.WriteAsync(Key(), Json("{}"), 3, CancellationToken.None));

        Assert.Equal(0, error.StoredEtag);
        Assert.Equal(3, error.ExpectedEtag);
        Assert.Null(await storage.ReadAsync(Key(), CancellationToken.None));
    }

    [Fact]
    public async Task Clear_leaves_a_tombstone_with_the_next_etag()
    {
        var storage = CreateStorage();
        await storage.WriteAsync(Key(), Json("""{"v":1}"""), 0, CancellationToken.None);

        var etag = await storage.ClearAsync(Key(), 1, CancellationToken.None);
        var stored = await storage.ReadAsync(Key(), CancellationToken.None);

        Assert.Equal(2, etag);
        Assert.NotNull(stored);
        Assert.Null(stored.Data);
        Assert.Equal(2, stored.Etag);
    }

    [Fact]
    public async Task Clearing_a_state_never_written_creates_a_tombstone()
    {
        var storage = CreateStorage();

        var etag = await storage.ClearAsync(Key(), 0, CancellationToken.None);
        var stored = await storage.ReadAsync(Key(), CancellationToken.None);

        Assert.Equal(1, etag);
        Assert.Equal(new StoredGrainState(null, 1), stored);
    }

    [Fact]
    public async Task A_stale_writer_cannot_resurrect_a_cleared_state()
    {
        var storage = CreateStorage();
        await storage.WriteAsync(Key(), Json("""{"v":1}"""), 0, CancellationToken.None);
        await storage.ClearAsync(Key(), 1, CancellationToken.None);

        await Assert.ThrowsAsync<InconsistentStateException>(() => storage.WriteAsync(Key(), Json("""{"v":"old"}"""), 1, CancellationToken.None));
        await Assert.ThrowsAsync<InconsistentStateException>(() => storage.WriteAsync(Key(), Json("""{"v":"fresh"}"""), 0, CancellationToken.None));
        await Assert.ThrowsAsync<InconsistentStateException>(() => storage.ClearAsync(Key(), 1, CancellationToken.None));
        Assert.Equal(new StoredGrainState(null, 2), await storage.ReadAsync(Key(), CancellationToken.None));

        var etag = await storage.WriteAsync(Key(), Json("""{"v":"after"}"""), 2, CancellationToken.None);
        Assert.Equal(3, etag);
        AssertSameJson("""{"v":"after"}""", (await storage.ReadAsync(Key(), CancellationToken.None))!.Data);
    }

    [Fact]
    public async Task Concurrent_writers_with_the_same_etag_exactly_one_wins()
    {
        var storage = CreateStorage();
        await storage.WriteAsync(Key(), Json("""{"writer":-1}"""), 0, CancellationToken.None);

        var outcomes = await RaceAsync(16, writer => storage.WriteAsync(Key(), Json($$"""{"writer":{{writer}}}"""), 1, CancellationToken.None));

        var winner = Assert.Single(outcomes, o => o.Etag is not null);
        Assert.Equal(2, winner.Etag);
        Assert.All(outcomes.Where(o => o.Etag is null), o => Assert.IsType<InconsistentStateException>(o.Error));
        var stored = await storage.ReadAsync(Key(), CancellationToken.None);
        Assert.Equal(2, stored!.Etag);
        AssertSameJson($$"""{"writer":{{winner.Writer}}}""", stored.Data);
    }

    [Fact]
    public async Task Concurrent_first_writes_exactly_one_wins()
    {
        var storage = CreateStorage();

        var outcomes = await RaceAsync(16, writer => storage.WriteAsync(Key(), Json($$"""{"writer":{{writer}}}"""), 0, CancellationToken.None));

        var winner = Assert.Single(outcomes, o => o.Etag is not null);
        Assert.Equal(1, winner.Etag);
        Assert.All(outcomes.Where(o => o.Etag is null), o => Assert.IsType<InconsistentStateException>(o.Error));
        AssertSameJson($$"""{"writer":{{winner.Writer}}}""", (await storage.ReadAsync(Key(), CancellationToken.None))!.Data);
    }

    private static readonly string[] AwkwardKeyList =
    [
        "a/b/c",
        "/",
        "..",
        ".",
        "../../../../etc/passwd",
        "..\\..\\windows\\win.ini",
        "C:\\temp\\x",
        "ключ/🔑/é/日本",
        "CON",
        "nul.txt",
        "a:b*c?d|e<f>g\"h",
        "tab\tnew\nline",
        " spaces ",
        string.Empty,
        new string('k', 2048),
        string.Concat(Enumerable.Repeat("ü/", 700)),
    ];

    public static TheoryData<string> AwkwardKeys => new(AwkwardKeyList);

    [Theory]
    [MemberData(nameof(AwkwardKeys))]
    public async Task Awkward_keys_are_stored_and_read_back(string grainKey)
    {
        var storage = CreateStorage();

        await storage.WriteAsync(Key(grainKey), Json("""{"v":1}"""), 0, CancellationToken.None);
        await storage.WriteAsync(Key(grainKey), Json("""{"v":2}"""), 1, CancellationToken.None);

        var stored = await storage.ReadAsync(Key(grainKey), CancellationToken.None);
        Assert.Equal(2, stored!.Etag);
        AssertSameJson("""{"v":2}""", stored.Data);
    }

    [Fact]
    public async Task Awkward_keys_do_not_collide_with_each_other()
    {
        var storage = CreateStorage();
        var keys = AwkwardKeyList;

        for (var i = 0; i < keys.Length; i++)
        {
            await storage.WriteAsync(Key(keys[i]), Json($$"""{"index":{{i}}}"""), 0, CancellationToken.None);
        }

        for (var i = 0; i < keys.Length; i++)
        {
            var stored = await storage.ReadAsync(Key(keys[i]), CancellationToken.None);
            Assert.Equal(1, stored!.Etag);
            AssertSameJson($$"""{"index":{{i}}}""", stored.Data);
        }
    }

    [Fact]
    public async Task State_survives_a_new_provider_instance()
    {
        var before = CreateStorage();
        await before.WriteAsync(Key(), Json("""{"v":"before restart"}"""), 0, CancellationToken.None);
        await before.ClearAsync(Key("cleared"), 0, CancellationToken.None);

        var after = CreateStorage();
        var stored = await after.ReadAsync(Key(), CancellationToken.None);
        Assert.Equal(1, stored!.Etag);
        AssertSameJson("""{"v":"before restart"}""", stored.Data);
        Assert.Equal(new StoredGrainState(null, 1), await after.ReadAsync(Key("cleared"), CancellationToken.None));

        Assert.Equal(2, await after.WriteAsync(Key(), Json("""{"v":"after restart"}"""), 1, CancellationToken.None));
        await Assert.ThrowsAsync<InconsistentStateException>(() => before.WriteAsync(Key(), Json("{}"), 1, CancellationToken.None));
    }

    [Fact]
    public async Task Grain_types_and_state_names_do_not_collide()
    {
        var storage = CreateStorage();
        var otherType = GrainType + "-other";
        GrainStateKey[] keys =
        [
            new(GrainType, "k", "state"),
            new(otherType, "k", "state"),
            new(GrainType, "k", "state2"),
            new(GrainType, "k/state", "x"),
            new(GrainType + "/k", "state", "x"),
            new(GrainType, "k", "state/x"),
        ];

        for (var i = 0; i < keys.Length; i++)
        {
            Assert.Equal(1, await storage.WriteAsync(keys[i], Json($$"""{"i":{{i}}}"""), 0, CancellationToken.None));
        }

        await storage.ClearAsync(keys[0], 1, CancellationToken.None);

        Assert.Equal(new StoredGrainState(null, 2), await storage.ReadAsync(keys[0], CancellationToken.None));
        for (var i = 1; i < keys.Length; i++)
        {
            var stored = await storage.ReadAsync(keys[i], CancellationToken.None);
            Assert.Equal(1, stored!.Etag);
            AssertSameJson($$"""{"i":{{i}}}""", stored.Data);
        }
    }

    [Fact]
    public async Task Invalid_arguments_are_rejected()
    {
        var storage = CreateStorage();

        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => storage.WriteAsync(Key(), Json("{}"), -1, CancellationToken.None));
        await Assert.ThrowsAsync<ArgumentException>(() => storage.WriteAsync(Key("nul\0char"), Json("{}"), 0, CancellationToken.None));
        await Assert.ThrowsAsync<ArgumentException>(() => storage.ReadAsync(Key("lone\uD800surrogate"), CancellationToken.None));
        await Assert.ThrowsAsync<ArgumentException>(() => storage.ReadAsync(new GrainStateKey(string.Empty, "k", "s"), CancellationToken.None));
        await Assert.ThrowsAsync<ArgumentException>(() => storage.ReadAsync(new GrainStateKey(GrainType, "k", string.Empty), CancellationToken.None));
    }

    [Fact]
    public async Task A_cancelled_call_does_not_write()
    {
        var storage = CreateStorage();
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => storage.WriteAsync(Key(), Json("{}"), 0, cancelled.Token));

        Assert.Null(await storage.ReadAsync(Key(), CancellationToken.None));
    }

    private sealed record Outcome(int Writer, int? Etag, Exception? Error);

    private static async Task<Outcome[]> RaceAsync(int writers, Func<int, Task<int>> write)
    {
        using var start = new ManualResetEventSlim();
        var tasks = Enumerable.Range(0, writers).Select(writer => Task.Run(async () =>
        {
            start.Wait();
            try
            {
                return new Outcome(writer, await write(writer), null);
            }
            catch (Exception e)
            {
                return new Outcome(writer, null, e);
            }
        })).ToArray();
        start.Set();
        return await Task.WhenAll(tasks);
    }
}
