using OpenClaw.Runtime.Postgres;
namespace OpenClaw.Runtime.Tests.Persistence;

public sealed class PostgresGrainStorageContractTests(PostgresSchemaFixture database)
    : GrainStorageContractTests, IClassFixture<PostgresSchemaFixture>
{
    protected override IGrainStorage CreateStorageInstance() =>
        new PostgresGrainStorage("test", new PostgresGrainStorageOptions
        {
            ConnectionString = database.ConnectionString,
            SchemaName = database.SchemaName,
        });
}
