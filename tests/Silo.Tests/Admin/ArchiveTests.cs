using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using OpenClaw.Grains.Interfaces;

namespace OpenClaw.Silo.Tests.Admin;

public sealed class ArchiveTests : IDisposable
{
    private const string Session = "agent:main:main";
    private const string OtherSession = "agent:main:research";

    private readonly TempDirectory _data = new();

    public void Dispose() => _data.Dispose();

    private string Workspace(string tenantId) => _data.Combine("workspaces", tenantId);

    [Fact]
    public async Task Export_then_delete_then_import_restores_sessions_and_workspace_files_exactly()
    {
        await using var silo = await AdminTestSilo.StartAsync(_data.Path);
        var token = await silo.CreateTenantAsync("acme");
        List<(string, string)> history, other;
        await using (var socket = await GatewaySocket.ConnectAsync(silo.WebSocketUri, token))
        {
            // Enough turns that the transcript spills into sealed chunks (32 messages per chunk).
            for (var i = 0; i < 20; i++) await socket.ChatAsync(Session, $"message {i} of the main session");
            await socket.ChatAsync(OtherSession, "a second session");
            history = await socket.HistoryAsync(Session);
            other = await socket.HistoryAsync(OtherSession);
        }

        var files = new Dictionary<string, byte[]>
        {
            ["agent/IDENTITY.md"] = Encoding.UTF8.GetBytes("# Clawd of Acme\n"),
            ["notes/deep/todo.txt"] = Encoding.UTF8.GetBytes("buy milk\r\nno BOM, CRLF kept\n"),
            ["blob.bin"] = [0, 1, 2, 255, 254, 0x80, 0xC3],
        };
        foreach (var (path, content) in files)
        {
            var full = Path.Join(Workspace("acme"), path);
            Directory.CreateDirectory(Path.GetDirectoryName(full)!);
            await File.WriteAllBytesAsync(full, content);
        }

        using var export = await silo.Admin.GetAsync("/admin/v1/tenants/acme/export");
        Assert.Equal(HttpStatusCode.OK, export.StatusCode);
        Assert.Equal("application/zip", export.Content.Headers.ContentType?.MediaType);
        var archive = await export.Content.ReadAsByteArrayAsync();
        using (var zip = new ZipArchive(new MemoryStream(archive)))
        {
            var manifest = JsonDocument.Parse(zip.GetEntry("manifest.json")!.Open()).RootElement;
            Assert.Equal(1, manifest.GetProperty("format").GetInt32());
            Assert.Equal("excluded", manifest.GetProperty("apiKey").GetString());
            Assert.NotNull(zip.GetEntry("tenant.json"));
            Assert.NotNull(zip.GetEntry("tokens.json"));
            Assert.Contains(zip.Entries, e => e.FullName.StartsWith("state/transcript/", StringComparison.Ordinal));
            Assert.NotNull(zip.GetEntry("workspace/notes/deep/todo.txt"));
        }

        using var delete = await silo.Admin.DeleteAsync("/admin/v1/tenants/acme");
        Assert.Equal(HttpStatusCode.OK, delete.StatusCode);
        Assert.False(Directory.Exists(Workspace("acme")));
        Assert.Equal(HttpStatusCode.NotFound, (await silo.Admin.GetAsync("/admin/v1/tenants/acme")).StatusCode);

        using var import = await Import(silo, archive, "create");
        var imported = await import.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(import.StatusCode == HttpStatusCode.Created, imported.ToString());
        Assert.Equal("acme", imported.GetProperty("tenant").GetProperty("id").GetString());
        Assert.Equal(1, imported.GetProperty("tokensInArchive").GetInt32());

        foreach (var (path, content) in files)
        {
            Assert.Equal(content, await File.ReadAllBytesAsync(Path.Join(Workspace("acme"), path)));
        }

        Assert.Equal(files.Count, Directory.EnumerateFiles(Workspace("acme"), "*", SearchOption.AllDirectories).Count());

        // Tokens are not in archives: the old one stays refused, a new one sees the restored sessions.
        Assert.True(await GatewaySocket.IsRefusedAsync(silo.WebSocketUri, token));
        using var issue = await silo.Admin.PostAsJsonAsync("/admin/v1/tenants/acme/tokens", new { name = "restored" });
        var fresh = (await issue.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("plaintext").GetString()!;
        await using (var socket = await GatewaySocket.ConnectAsync(silo.WebSocketUri, fresh))
        {
            Assert.Equal(history, await socket.HistoryAsync(Session));
            Assert.Equal(other, await socket.HistoryAsync(OtherSession));
            await socket.ChatAsync(Session, "after the restore");
        }

        // A second import in create mode finds the tenant; replace overwrites it with the archive again.
        using var conflict = await Import(silo, archive, "create");
        Assert.Equal(HttpStatusCode.Conflict, conflict.StatusCode);
        using var replace = await Import(silo, archive, "replace");
        Assert.Equal(HttpStatusCode.OK, replace.StatusCode);
        await using (var socket = await GatewaySocket.ConnectAsync(silo.WebSocketUri, fresh))
        {
            Assert.Equal(history, await socket.HistoryAsync(Session));
        }
    }

    [Fact]
    public async Task Delete_purges_everything_of_the_tenant_and_nothing_of_another()
    {
        const string Marker = "purple-elephant-7c1e";
        await using var silo = await AdminTestSilo.StartAsync(_data.Path);
        var token = await silo.CreateTenantAsync("doomed");
        var keptToken = await silo.CreateTenantAsync("kept");
        await using (var socket = await GatewaySocket.ConnectAsync(silo.WebSocketUri, token))
        {
            for (var i = 0; i < 20; i++) await socket.ChatAsync(Session, $"{Marker} {i}");
        }

        await using (var socket = await GatewaySocket.ConnectAsync(silo.WebSocketUri, keptToken))
        {
            await socket.ChatAsync(Session, "kept-tenant-words");
        }

        Directory.CreateDirectory(Path.Join(Workspace("doomed"), "notes"));
        await File.WriteAllTextAsync(Path.Join(Workspace("doomed"), "notes", "secret.md"), Marker);
        await using var live = await GatewaySocket.ConnectAsync(silo.WebSocketUri, token);
        Assert.True(FilesContaining(Marker).Any(), "the marker should be stored before the purge");

        using var delete = await silo.Admin.DeleteAsync("/admin/v1/tenants/doomed");
        var purged = await delete.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(delete.StatusCode == HttpStatusCode.OK, purged.ToString());
        Assert.True(purged.GetProperty("stateRecordsCleared").GetInt32() > 3);
        Assert.Equal(1, purged.GetProperty("workspaceFilesDeleted").GetInt32());

        Assert.Equal(4001, await live.Closed.WaitAsync(TimeSpan.FromSeconds(20)));
        var registry = silo.Services.GetRequiredService<ITenantRegistry>();
        Assert.Null(await registry.GetAsync("doomed", default));
        Assert.Empty(await registry.ListTokensAsync("doomed", default));
        Assert.Null(await registry.FindTenantByTokenAsync(token, default));
        Assert.True(await GatewaySocket.IsRefusedAsync(silo.WebSocketUri, token));
        Assert.False(Directory.Exists(Workspace("doomed")));

        // No file anywhere under the data directory (grain storage, registry, workspaces) holds the tenant's words.
        await silo.DisposeAsync();
        Assert.Empty(FilesContaining(Marker));
        Assert.NotEmpty(FilesContaining("kept-tenant-words"));
        Assert.Equal(HttpStatusCode.NotFound, (await RestartAndGet("doomed")).StatusCode);
    }

    [Theory]
    [InlineData("traversal")]
    [InlineData("absolute")]
    [InlineData("backslash")]
    [InlineData("symlink")]
    [InlineData("unknown-entry")]
    [InlineData("bad-record-name")]
    [InlineData("bad-record-content")]
    [InlineData("too-many-entries")]
    [InlineData("entry-too-large")]
    [InlineData("zip-bomb")]
    [InlineData("duplicate")]
    [InlineData("not-a-zip")]
    [InlineData("no-manifest")]
    [InlineData("future-format")]
    [InlineData("bad-tenant-id")]
    [InlineData("workspace-dot-segment")]
    public async Task A_hostile_archive_is_refused_and_writes_nothing(string attack)
    {
        await using var silo = await AdminTestSilo.StartAsync(_data.Path, new Dictionary<string, string?>
        {
            ["admin:archive:maxEntries"] = "50",
            ["admin:archive:maxEntryBytes"] = "65536",
            ["admin:archive:maxUncompressedBytes"] = "262144",
        });

        var archive = Hostile(attack);
        using var response = await Import(silo, archive, "create");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(problem.TryGetProperty("errors", out var errors) && (errors.TryGetProperty("archive", out _) || errors.TryGetProperty("tenant.id", out _)), problem.ToString());
        Assert.Null(await silo.Services.GetRequiredService<ITenantRegistry>().GetAsync("evil", default));
        Assert.False(Directory.Exists(Workspace("evil")));
        Assert.False(File.Exists(_data.Combine("escaped.txt")));
        Assert.False(File.Exists("/tmp/openclaw-admin-escaped.txt"));
    }

    [Fact]
    public async Task An_archive_larger_than_the_limit_is_refused_with_413()
    {
        await using var silo = await AdminTestSilo.StartAsync(_data.Path, new Dictionary<string, string?> { ["admin:archive:maxArchiveBytes"] = "4096" });
        using var response = await Import(silo, new byte[8192], "create");
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        using var badMode = await Import(silo, Hostile("valid"), "merge");
        Assert.True((await badMode.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("mode", out _));
    }

    private async Task<HttpResponseMessage> RestartAndGet(string id)
    {
        await using var again = await AdminTestSilo.StartAsync(_data.Path);
        return await again.Admin.GetAsync($"/admin/v1/tenants/{id}");
    }

    private IEnumerable<string> FilesContaining(string marker)
    {
        var needle = Encoding.UTF8.GetBytes(marker);
        return Directory.EnumerateFiles(_data.Path, "*", SearchOption.AllDirectories)
            .Where(file => File.ReadAllBytes(file).AsSpan().IndexOf(needle) >= 0);
    }

    private static Task<HttpResponseMessage> Import(AdminTestSilo silo, byte[] archive, string mode)
    {
        var content = new ByteArrayContent(archive);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/zip");
        return silo.Admin.PostAsync($"/admin/v1/tenants/import?mode={mode}", content);
    }

    /// <summary>An otherwise valid archive of tenant "evil" with one attack in it.</summary>
    private static byte[] Hostile(string attack)
    {
        if (attack == "not-a-zip") return Encoding.UTF8.GetBytes("PK\u0003\u0004 this is not really a zip");
        using var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            void Add(string name, byte[] content, int? unixMode = null)
            {
                var entry = zip.CreateEntry(name, CompressionLevel.Optimal);
                if (unixMode is { } mode) entry.ExternalAttributes = mode << 16;
                using var stream = entry.Open();
                stream.Write(content);
            }

            void Text(string name, string content) => Add(name, Encoding.UTF8.GetBytes(content));

            var format = attack == "future-format" ? 99 : 1;
            var id = attack == "bad-tenant-id" ? "../evil" : "evil";
            if (attack != "no-manifest")
                Text("manifest.json", $"{{\"format\":{format},\"kind\":\"openclaw-tenant-archive\",\"tenantId\":\"{id}\",\"apiKey\":\"excluded\"}}");
            Text("tenant.json", $"{{\"id\":\"{id}\",\"displayName\":\"Evil\",\"plan\":\"free\",\"status\":\"active\",\"config\":{{\"provider\":\"echo\",\"model\":\"echo-1\",\"agentName\":\"E\"}}}}");
            Text("tokens.json", "[]");
            Text("state/profile.json", "{}");
            switch (attack)
            {
                case "traversal": Text("workspace/../../escaped.txt", "x"); break;
                case "absolute": Text("/tmp/openclaw-admin-escaped.txt", "x"); break;
                case "backslash": Text("workspace\\..\\..\\escaped.txt", "x"); break;
                case "symlink": Add("workspace/link", Encoding.UTF8.GetBytes("/etc/passwd"), 0xA000 | 0x1FF); break;
                case "unknown-entry": Text("extra/thing.txt", "x"); break;
                case "bad-record-name": Text("state/session/007.json", "{}"); break;
                case "bad-record-content": Text("state/sessions.json", "{\"format\":2,\"sessionSlots\":2000000000}"); break;
                case "too-many-entries": for (var i = 0; i < 60; i++) Text($"workspace/f{i}.txt", "x"); break;
                case "entry-too-large": Add("workspace/big.bin", RandomBytes(70_000)); break;
                case "zip-bomb": for (var i = 0; i < 8; i++) Add($"workspace/zero{i}.bin", new byte[60_000]); break;
                case "duplicate": Text("workspace/a.txt", "1"); Text("workspace/a.txt", "2"); break;
                case "workspace-dot-segment": Text("workspace/./a/../b.txt", "x"); break;
            }
        }

        return buffer.ToArray();
    }

    private static byte[] RandomBytes(int count)
    {
        var bytes = new byte[count];
        new Random(7).NextBytes(bytes);
        return bytes;
    }
}
