using Npgsql;

namespace OpenClaw.Runtime.Tests.Persistence;

/// <summary>One fresh schema per test class, dropped when the class is done.</summary>
public sealed class PostgresSchemaFixture : IAsyncLifetime
{
    private NpgsqlDataSource? _dataSource;

    public string SchemaName { get; } = PostgresTestDatabase.NewSchemaName();

    public string ConnectionString { get; private set; } = string.Empty;

    public NpgsqlDataSource DataSource => _dataSource ?? throw new InvalidOperationException("The fixture is not initialized.");

    public async Task InitializeAsync()
    {
        ConnectionString = PostgresTestDatabase.ConnectionString;
        _dataSource = NpgsqlDataSource.Create(ConnectionString);
        await using var connection = await _dataSource.OpenConnectionAsync();
    }

    public async Task DisposeAsync()
    {
        if (_dataSource is null)
        {
            return;
        }

        await PostgresTestDatabase.DropSchemaAsync(_dataSource, SchemaName);
        await _dataSource.DisposeAsync();
    }
}
