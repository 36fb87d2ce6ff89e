using Npgsql;

namespace SsoVault.Core.Tests.TestSupport;

/// <summary>
/// The PostgreSQL server the tests use, named by <c>SSOVAULT_TEST_POSTGRES</c> (an Npgsql connection string with a user
/// allowed to create databases; ./run-tests starts a throwaway cluster and sets it). Each test gets its own database,
/// dropped afterwards. Without a server the PostgreSQL tests fail with a message saying so: they never skip silently,
/// so a CI run (<c>CI=true</c>) cannot pass without having run them.
/// </summary>
public static class PostgresTestServer
{
    public const string Variable = "SSOVAULT_TEST_POSTGRES";

    public static string AdminConnectionString =>
        Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException(
                $"{Variable} is not set, so the PostgreSQL tests cannot run{(IsCi ? " (CI=true: this is a failure, never a skip)" : "")}. " +
                "Run ./run-tests, which starts a throwaway PostgreSQL on 127.0.0.1, or set " +
                $"{Variable}=Host=127.0.0.1;Port=5432;Username=...;Password=...;Database=postgres");

    private static bool IsCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    /// <summary>Creates an empty database and returns its connection string (a location the provider opens).</summary>
    public static async Task<string> CreateDatabaseAsync(CancellationToken cancellationToken)
    {
        var name = $"ssovault_test_{Guid.NewGuid():N}";
        await ExecuteAsync($"CREATE DATABASE {name}", cancellationToken);
        return LocationOf(name);
    }

    /// <summary>The connection string of a database on the test server (created or not).</summary>
    public static string LocationOf(string database) =>
        new NpgsqlConnectionStringBuilder(AdminConnectionString) { Database = database }.ConnectionString;

    public static async Task DropDatabaseAsync(string location, CancellationToken cancellationToken)
    {
        var name = new NpgsqlConnectionStringBuilder(location).Database;
        await ExecuteAsync($"DROP DATABASE IF EXISTS {name} WITH (FORCE)", cancellationToken);
    }

    /// <summary>Runs SQL in one database of the test server, outside SsoVault (to set up or inspect what it cannot).</summary>
    public static async Task<object?> ScalarAsync(string location, string sql, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(location) { Pooling = false }.ConnectionString);
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand(sql, connection);
        return await command.ExecuteScalarAsync(cancellationToken);
    }

    private static async Task ExecuteAsync(string sql, CancellationToken cancellationToken)
    {
        try
        {
            await ScalarAsync(AdminConnectionString, sql, cancellationToken);
        }
        catch (NpgsqlException e)
        {
            throw new InvalidOperationException(
                $"The PostgreSQL test server ({Variable}) cannot be used: {e.Message}. Run ./run-tests, which starts one.", e);
        }
    }
}
