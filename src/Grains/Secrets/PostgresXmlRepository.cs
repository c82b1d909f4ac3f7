using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Npgsql;
using OpenClaw.Runtime.Postgres;

namespace OpenClaw.Grains.Secrets;

/// <summary>
/// The Data Protection key ring in PostgreSQL (<c>openclaw_data_protection_keys</c>), so every silo
/// of a cluster protects and reads tenants' secrets with the same keys. Rows are only ever added
/// (Data Protection never deletes keys; a revoked key is a new element). Synchronous, as
/// <see cref="IXmlRepository"/> is; Data Protection reads the ring rarely and caches it.
/// </summary>
public sealed class PostgresXmlRepository : IXmlRepository
{
    public const string Component = "data_protection_keys";
    public const string Table = "openclaw_data_protection_keys";

    private static readonly IReadOnlyList<string> Migrations =
    [
        $"""
        CREATE TABLE {Table} (
            id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            friendly_name text        NOT NULL,
            xml           text        NOT NULL,
            created_at    timestamptz NOT NULL DEFAULT now()
        );
        """,
    ];

    private readonly NpgsqlDataSource _dataSource;
    private readonly string? _schemaName;
    private readonly string _table;
    private readonly Lazy<bool> _schema;

    public PostgresXmlRepository(NpgsqlDataSource dataSource, string? schemaName)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        _dataSource = dataSource;
        _schemaName = schemaName;
        _table = schemaName is null ? Quote(Table) : $"{Quote(schemaName)}.{Quote(Table)}";
        _schema = new Lazy<bool>(() =>
        {
            PostgresSchemaMigrator.MigrateAsync(_dataSource, Component, Migrations, _schemaName, logger: null, CancellationToken.None).GetAwaiter().GetResult();
            return true;
        }, LazyThreadSafetyMode.ExecutionAndPublication);
    }

    private static string Quote(string identifier) => "\"" + identifier.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    public IReadOnlyCollection<XElement> GetAllElements()
    {
        _ = _schema.Value;
        using var command = _dataSource.CreateCommand($"SELECT xml FROM {_table} ORDER BY id");
        using var reader = command.ExecuteReader();
        var elements = new List<XElement>();
        while (reader.Read())
        {
            elements.Add(XElement.Parse(reader.GetString(0)));
        }

        return elements;
    }

    public void StoreElement(XElement element, string friendlyName)
    {
        ArgumentNullException.ThrowIfNull(element);
        _ = _schema.Value;
        using var command = _dataSource.CreateCommand($"INSERT INTO {_table} (friendly_name, xml) VALUES ($1, $2)");
        command.Parameters.Add(new NpgsqlParameter { Value = friendlyName ?? "" });
        command.Parameters.Add(new NpgsqlParameter { Value = element.ToString(SaveOptions.DisableFormatting) });
        command.ExecuteNonQuery();
    }
}
