using System.IO.Compression;
using System.Text.Json;
using OpenClaw.Grains.Interfaces;

namespace OpenClaw.Operations.Admin;

/// <summary>Builds the zip of <see cref="TenantArchiveFormat"/> from the registry's record, the tokens' metadata and the grain's export.</summary>
internal static class TenantArchiveWriter
{
    public static byte[] Write(TenantRecord tenant, IReadOnlyList<TokenView> tokens, TenantStateArchive state, DateTimeOffset now)
    {
        using var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            Json(zip, TenantArchiveFormat.ManifestEntry, new TenantArchiveManifest
            {
                Format = TenantArchiveFormat.CurrentFormat,
                Kind = TenantArchiveFormat.Kind,
                TenantId = tenant.TenantId,
                ExportedAt = now,
                ApiKey = TenantArchiveFormat.ApiKeyExcluded,
                StateRecords = state.Records.Count,
                WorkspaceFiles = state.Files.Count,
                Tokens = tokens.Count,
            }, AdminJsonContext.Default.TenantArchiveManifest, now);
            Json(zip, TenantArchiveFormat.TenantEntry, new ArchivedTenant
            {
                Id = tenant.TenantId,
                DisplayName = tenant.DisplayName,
                Plan = tenant.Plan,
                Status = TenantStatusNames.Of(TenantRecordFields.StatusOf(tenant)),
                CreatedAt = tenant.CreatedAt,
                Config = new TenantConfigInput
                {
                    Provider = tenant.Config.Provider,
                    Model = tenant.Config.Model,
                    BaseUrl = tenant.Config.BaseUrl,
                    AgentName = tenant.Config.AgentName,
                    SystemPrompt = tenant.Config.SystemPrompt,
                },
            }, AdminJsonContext.Default.ArchivedTenant, now);
            Json(zip, TenantArchiveFormat.TokensEntry, tokens.ToList(), AdminJsonContext.Default.ListTokenView, now);
            foreach (var record in state.Records)
            {
                Bytes(zip, TenantArchiveFormat.StatePrefix + record.Name + TenantArchiveFormat.StateSuffix, System.Text.Encoding.UTF8.GetBytes(record.Json), now);
            }

            foreach (var file in state.Files)
            {
                Bytes(zip, TenantArchiveFormat.WorkspacePrefix + file.Path, file.Content, now);
            }
        }

        return buffer.ToArray();
    }

    private static void Json<T>(ZipArchive zip, string name, T value, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type, DateTimeOffset now) =>
        Bytes(zip, name, JsonSerializer.SerializeToUtf8Bytes(value, type), now);

    private static void Bytes(ZipArchive zip, string name, byte[] content, DateTimeOffset now)
    {
        var entry = zip.CreateEntry(name, CompressionLevel.Optimal);
        entry.LastWriteTime = now;
        entry.ExternalAttributes = RegularFileMode << 16;
        using var stream = entry.Open();
        stream.Write(content);
    }

    /// <summary>A regular file, 0600 (unzip tools restore it private, as the workspace keeps it).</summary>
    private const int RegularFileMode = 0x8000 | 0x180;
}
