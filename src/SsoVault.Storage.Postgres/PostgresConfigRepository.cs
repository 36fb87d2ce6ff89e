using System.Runtime.CompilerServices;
using Npgsql;
using SsoVault.Core.Storage;

namespace SsoVault.Storage.Postgres;

internal sealed class PostgresConfigRepository(PostgresSession session) : IConfigRepository
{
    public Task<IReadOnlyList<(string Identifier, int Properties)>> ListIdentifiersAsync(string application, CancellationToken cancellationToken) =>
        session.ListAsync("SELECT identifier, count(*)::int FROM config_values WHERE app_name = @app::citext GROUP BY identifier ORDER BY identifier",
            reader => (reader.GetString(0), reader.GetInt32(1)), cancellationToken, ("app", application));

    public Task<IReadOnlyList<ConfigPropertyRecord>> GetPropertiesAsync(string application, string identifier, CancellationToken cancellationToken) =>
        session.ListAsync("""
            SELECT property, masked, envelope, updated_ms FROM config_values
            WHERE app_name = @app::citext AND identifier = @id ORDER BY seq
            """, reader => ReadProperty(reader, 0), cancellationToken, ("app", application), ("id", identifier));

    public Task UpsertPropertyAsync(string application, string identifier, ConfigPropertyRecord property, CancellationToken cancellationToken) =>
        session.ExecuteAsync("""
            INSERT INTO config_values (app_name, identifier, property, seq, masked, envelope, updated_ms, key_id)
            VALUES (@app, @id, @prop,
                    (SELECT coalesce(max(seq), 0) + 1 FROM config_values WHERE app_name = @app::citext AND identifier = @id),
                    @masked, @envelope, @updated, @key)
            ON CONFLICT (app_name, identifier, property)
            DO UPDATE SET masked = excluded.masked, envelope = excluded.envelope, updated_ms = excluded.updated_ms, key_id = excluded.key_id
            """,
            cancellationToken, ("app", application), ("id", identifier), ("prop", property.Name), ("key", PostgresSession.KeyIdOf(property.Envelope)),
            ("masked", property.Masked), ("envelope", property.Envelope), ("updated", PostgresSession.ToMs(property.UpdatedUtc)));

    public Task<int> DeleteAsync(string application, string identifier, string? property, CancellationToken cancellationToken) =>
        property is null
            ? session.ExecuteAsync("DELETE FROM config_values WHERE app_name = @app::citext AND identifier = @id", cancellationToken,
                ("app", application), ("id", identifier))
            : session.ExecuteAsync("DELETE FROM config_values WHERE app_name = @app::citext AND identifier = @id AND property = @prop",
                cancellationToken, ("app", application), ("id", identifier), ("prop", property));

    public async IAsyncEnumerable<(string Application, string Identifier, ConfigPropertyRecord Property)> ScanAsync(
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var command = session.Command(
            "SELECT app_name, identifier, property, masked, envelope, updated_ms FROM config_values ORDER BY app_name, identifier, seq");
        await using var reader = await session.Guard(command.ExecuteReaderAsync(cancellationToken));
        while (await session.Guard(reader.ReadAsync(cancellationToken)))
        {
            yield return (reader.GetString(0), reader.GetString(1), ReadProperty(reader, 2));
        }
    }

    private static ConfigPropertyRecord ReadProperty(NpgsqlDataReader reader, int first) =>
        new(reader.GetString(first), reader.GetBoolean(first + 1), reader.GetFieldValue<byte[]>(first + 2),
            PostgresSession.FromMs(reader.GetInt64(first + 3)));
}
