using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using OpenClaw.Grains.Interfaces;
using OpenClaw.Runtime;

namespace OpenClaw.Grains.Tenants;

/// <summary>
/// The embedded tenant store (zero-setup default, one process): every tenant and token hash in one
/// JSON file, loaded once and kept in memory. Writes are serialized, build a new snapshot, replace
/// the file atomically (temporary file + rename) and only then publish the snapshot, so readers
/// never wait and never see a change that did not reach the disk. The file holds tenants' API
/// keys: on Unix it is created 0600 in a 0700 directory, and an existing one is narrowed to that
/// when loaded. A file that cannot be read back raises <see cref="TenantStoreFileException"/>.
/// </summary>
public sealed class FileTenantStore : HashedTokenTenantStore
{
    private readonly string _directory;
    private readonly string _path;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private volatile Snapshot? _snapshot;

    public FileTenantStore(IOptions<FileTenantStoreOptions> options, ILogger<FileTenantStore>? logger = null, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var value = options.Value;
        var validation = new FileTenantStoreOptionsValidator().Validate(Options.DefaultName, value);
        if (validation.Failed)
        {
            throw new OptionsValidationException(Options.DefaultName, typeof(FileTenantStoreOptions), validation.Failures ?? []);
        }

        _directory = Path.GetFullPath(value.Directory);
        _path = Path.Join(_directory, value.FileName);
        _logger = logger ?? NullLogger<FileTenantStore>.Instance;
        _time = timeProvider ?? TimeProvider.System;
    }

    /// <summary>The store's file.</summary>
    public string FilePath => _path;

    public override async Task<TenantRecord?> GetAsync(string tenantId, CancellationToken cancellationToken)
    {
        TenantIds.Validate(tenantId);
        var snapshot = await LoadAsync(cancellationToken).ConfigureAwait(false);
        return snapshot.Tenants.GetValueOrDefault(tenantId);
    }

    public override async Task<IReadOnlyList<TenantRecord>> ListAsync(CancellationToken cancellationToken)
    {
        var snapshot = await LoadAsync(cancellationToken).ConfigureAwait(false);
        return snapshot.Tenants.Values.OrderBy(t => t.TenantId, StringComparer.Ordinal).ToArray();
    }

    public override async Task UpsertAsync(TenantRecord tenant, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(tenant);
        TenantIds.Validate(tenant.TenantId, nameof(tenant));
        await MutateAsync(
            current =>
            {
                var stored = current.Tenants.GetValueOrDefault(tenant.TenantId);
                var record = TenantRecords.Normalize(tenant, stored?.CreatedAt, _time.GetUtcNow());
                var tenants = new Dictionary<string, TenantRecord>(current.Tenants, StringComparer.Ordinal) { [record.TenantId] = record };
                return (current with { Tenants = tenants }, true);
            },
            cancellationToken).ConfigureAwait(false);
        TenantStoreLog.TenantSaved(_logger, tenant.TenantId);
    }

    protected override async Task<int> RevokeTokenHashesAsync(string tenantId, string? hash, CancellationToken cancellationToken)
    {
        var revoked = await MutateAsync(
            current =>
            {
                var now = _time.GetUtcNow();
                Dictionary<string, StoredTenantToken>? tokens = null;
                var count = 0;
                foreach (var token in current.Tokens.Values)
                {
                    if (token.IsActive
                        && string.Equals(token.TenantId, tenantId, StringComparison.Ordinal)
                        && (hash is null || TenantTokens.HashesEqual(token.TokenHash, hash)))
                    {
                        tokens ??= new Dictionary<string, StoredTenantToken>(current.Tokens, StringComparer.Ordinal);
                        tokens[token.TokenHash] = token with { RevokedAt = now };
                        count++;
                    }
                }

                return (tokens is null ? null : current with { Tokens = tokens }, count);
            },
            cancellationToken).ConfigureAwait(false);
        if (revoked > 0)
        {
            TenantStoreLog.TokensRevoked(_logger, tenantId, revoked);
        }

        return revoked;
    }

    protected override async Task<string?> FindTenantByTokenHashAsync(string hash, CancellationToken cancellationToken)
    {
        var snapshot = await LoadAsync(cancellationToken).ConfigureAwait(false);
        if (snapshot.Tokens.TryGetValue(hash, out var token)
            && TenantTokens.HashesEqual(token.TokenHash, hash)
            && token.IsActive
            && snapshot.Tenants.TryGetValue(token.TenantId, out var tenant)
            && !tenant.Disabled)
        {
            return tenant.TenantId;
        }

        return null;
    }

    protected override async Task AddTokenHashAsync(string tenantId, string hash, CancellationToken cancellationToken)
    {
        var changed = await MutateAsync(
            current =>
            {
                if (!current.Tenants.ContainsKey(tenantId))
                {
                    throw new InvalidOperationException($"Tenant '{tenantId}' does not exist; create it before adding tokens.");
                }

                if (current.Tokens.TryGetValue(hash, out var existing))
                {
                    if (!string.Equals(existing.TenantId, tenantId, StringComparison.Ordinal))
                    {
                        throw new InvalidOperationException("This token is already registered to another tenant.");
                    }

                    if (existing.IsActive)
                    {
                        return (null, false); // registering the same token again is a no-op
                    }
                }

                var tokens = new Dictionary<string, StoredTenantToken>(current.Tokens, StringComparer.Ordinal)
                {
                    [hash] = new StoredTenantToken(hash, tenantId, _time.GetUtcNow(), RevokedAt: null),
                };
                return (current with { Tokens = tokens }, true);
            },
            cancellationToken).ConfigureAwait(false);
        if (changed)
        {
            TenantStoreLog.TokenAdded(_logger, tenantId);
        }
    }

    private async ValueTask<Snapshot> LoadAsync(CancellationToken cancellationToken)
    {
        if (_snapshot is { } loaded)
        {
            return loaded;
        }

        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return _snapshot ??= await ReadFileAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Applies <paramref name="change"/> to the current snapshot; a non-null new snapshot is saved, then published.</summary>
    private async Task<T> MutateAsync<T>(Func<Snapshot, (Snapshot? Next, T Result)> change, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var current = _snapshot ??= await ReadFileAsync(cancellationToken).ConfigureAwait(false);
            var (next, result) = change(current);
            if (next is not null)
            {
                await WriteFileAsync(next, cancellationToken).ConfigureAwait(false);
                _snapshot = next;
            }

            return result;
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task<Snapshot> ReadFileAsync(CancellationToken cancellationToken)
    {
        if (!File.Exists(_path))
        {
            TenantStoreLog.FileLoaded(_logger, _path, 0, 0);
            return Snapshot.Empty;
        }

        // Made by an older version or by hand: the file holds API keys, so only its owner may read it.
        foreach (var path in new[] { _directory, _path })
        {
            if (!OwnerOnlyPaths.TryRestrict(path, out var problem))
            {
                TenantStoreLog.NotRestricted(_logger, path, problem!);
            }
        }

        TenantStoreDocument? document;
        var stream = new FileStream(_path, FileMode.Open, FileAccess.Read, FileShare.Read, 4096, FileOptions.Asynchronous);
        await using (stream.ConfigureAwait(false))
        {
            try
            {
                document = await JsonSerializer.DeserializeAsync(stream, TenantStoreJsonContext.Default.TenantStoreDocument, cancellationToken).ConfigureAwait(false);
            }
            catch (JsonException ex)
            {
                throw new TenantStoreFileException(_path, $"is not valid JSON (truncated or damaged?): {ex.Message}", ex);
            }
        }

        if (document is null)
        {
            throw new TenantStoreFileException(_path, "holds null instead of a tenant store document");
        }

        if (document.Version > TenantStoreDocument.CurrentVersion)
        {
            throw new TenantStoreFileException(_path,
                $"has version {document.Version}; this build reads up to version {TenantStoreDocument.CurrentVersion} (run the newer build, or restore an older file)");
        }

        var tenants = new Dictionary<string, TenantRecord>(StringComparer.Ordinal);
        foreach (var tenant in document.Tenants ?? [])
        {
            if (tenant is null || !TenantIds.IsValid(tenant.TenantId))
            {
                throw new TenantStoreFileException(_path, "holds a tenant with an invalid id");
            }

            tenants[tenant.TenantId] = tenant with { Config = tenant.Config ?? new TenantConfig() };
        }

        var tokens = new Dictionary<string, StoredTenantToken>(StringComparer.Ordinal);
        foreach (var token in document.Tokens ?? [])
        {
            if (token is null || string.IsNullOrEmpty(token.TokenHash) || !TenantIds.IsValid(token.TenantId))
            {
                throw new TenantStoreFileException(_path, "holds a malformed token entry");
            }

            tokens[token.TokenHash] = token;
        }

        var snapshot = new Snapshot(tenants, tokens);
        TenantStoreLog.FileLoaded(_logger, _path, tenants.Count, tokens.Values.Count(t => t.IsActive));
        return snapshot;
    }

    private async Task WriteFileAsync(Snapshot snapshot, CancellationToken cancellationToken)
    {
        var document = new TenantStoreDocument
        {
            Tenants = snapshot.Tenants.Values.OrderBy(t => t.TenantId, StringComparer.Ordinal).ToList(),
            Tokens = snapshot.Tokens.Values.OrderBy(t => t.CreatedAt).ThenBy(t => t.TokenHash, StringComparer.Ordinal).ToList(),
        };
        var bytes = JsonSerializer.SerializeToUtf8Bytes(document, TenantStoreJsonContext.Default.TenantStoreDocument);

        OwnerOnlyPaths.CreateDirectory(_directory);
        var temp = _path + "." + Guid.NewGuid().ToString("N") + ".tmp";
        var fileOptions = OwnerOnlyPaths.ForNewFile(new FileStreamOptions
        {
            Mode = FileMode.CreateNew,
            Access = FileAccess.Write,
            Share = FileShare.None,
            Options = FileOptions.Asynchronous,
        });

        try
        {
            var stream = new FileStream(temp, fileOptions);
            await using (stream.ConfigureAwait(false))
            {
                await stream.WriteAsync(bytes, cancellationToken).ConfigureAwait(false);
                await stream.FlushAsync(cancellationToken).ConfigureAwait(false);
                stream.Flush(flushToDisk: true);
            }

            File.Move(temp, _path, overwrite: true);
        }
        catch
        {
            try
            {
                File.Delete(temp);
            }
            catch (IOException)
            {
            }

            throw;
        }
    }

    /// <summary>An immutable view of the store; a write replaces it whole.</summary>
    private sealed record Snapshot(IReadOnlyDictionary<string, TenantRecord> Tenants, IReadOnlyDictionary<string, StoredTenantToken> Tokens)
    {
        public static readonly Snapshot Empty = new(
            new Dictionary<string, TenantRecord>(StringComparer.Ordinal),
            new Dictionary<string, StoredTenantToken>(StringComparer.Ordinal));
    }
}
