using Npgsql;

namespace OpenClaw.Runtime.Tests.Persistence;

/// <summary>
/// The PostgreSQL the tests run against: <c>OPENCLAW_TEST_POSTGRES</c>, set by scripts/test.sh.
/// Without it the PostgreSQL tests fail (they never skip), so a green run always covers them.
/// </summary>
public static class PostgresTestDatabase
{
    public const string EnvironmentVariable = "OPENCLAW_TEST_POSTGRES";

    public static string ConnectionString =>
        Environment.GetEnvironmentVariable(EnvironmentVariable) is { Length: > 0 } connectionString
            ? connectionString
            : throw new InvalidOperationException(
                $"{EnvironmentVariable} is not set, so the PostgreSQL tests cannot run. Run the test suite with the README's test command, "
                + "scripts/test.sh: it starts a throwaway PostgreSQL on 127.0.0.1 and sets the variable. "
                + $"To use your own server: {EnvironmentVariable}=\"Host=127.0.0.1;Port=5432;Username=postgres;Database=openclaw_tests\".");

    /// <summary>A schema name no other test or run uses.</summary>
    public static string NewSchemaName() => "test_" + Guid.NewGuid().ToString("N")[..20];

    public static async Task DropSchemaAsync(NpgsqlDataSource dataSource, string schemaName)
    {
        await using var command = dataSource.CreateCommand($"DROP SCHEMA IF EXISTS \"{schemaName}\" CASCADE");
        await command.ExecuteNonQueryAsync();
    }
}
