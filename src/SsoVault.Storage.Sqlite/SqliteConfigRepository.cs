using System.Runtime.CompilerServices;
using SsoVault.Core.Storage;

namespace SsoVault.Storage.Sqlite;

internal sealed class SqliteConfigRepository(SqliteSession session) : IConfigRepository
{
    public async Task<IReadOnlyList<(string Identifier, int Properties)>> ListIdentifiersAsync(string application, CancellationToken cancellationToken)
    {
        await using var command = session.Command(
            "SELECT identifier, count(*) FROM config_values WHERE app_name = $app GROUP BY identifier ORDER BY identifier", ("$app", application));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var identifiers = new List<(string, int)>();
        while (await reader.ReadAsync(cancellationToken))
        {
            identifiers.Add((reader.GetString(0), reader.GetInt32(1)));
        }

        return identifiers;
    }

    public async Task<IReadOnlyList<ConfigPropertyRecord>> GetPropertiesAsync(string application, string identifier, CancellationToken cancellationToken)
    {
        // Prepared once per connection: adapters read their configuration at runtime, often.
        var command = session.Prepared(
            "SELECT property, masked, envelope, updated_ms FROM config_values WHERE app_name = $app AND identifier = $id ORDER BY seq",
            ("$app", application), ("$id", identifier));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var properties = new List<ConfigPropertyRecord>();
        while (await reader.ReadAsync(cancellationToken))
        {
            properties.Add(ReadProperty(reader, 0));
        }

        return properties;
    }

    public Task UpsertPropertyAsync(string application, string identifier, ConfigPropertyRecord property, CancellationToken cancellationToken) =>
        session.ExecuteAsync("""
            INSERT INTO config_values (app_name, identifier, property, seq, masked, envelope, updated_ms, key_id)
            VALUES ($app, $id, $prop,
                    (SELECT coalesce(max(seq), 0) + 1 FROM config_values WHERE app_name = $app AND identifier = $id),
                    $masked, $envelope, $updated, $key)
            ON CONFLICT (app_name, identifier, property)
            DO UPDATE SET masked = excluded.masked, envelope = excluded.envelope, updated_ms = excluded.updated_ms, key_id = excluded.key_id
            """,
            cancellationToken, ("$app", application), ("$id", identifier), ("$prop", property.Name), ("$key", SqliteSession.KeyIdOf(property.Envelope)),
            ("$masked", property.Masked ? 1 : 0), ("$envelope", property.Envelope), ("$updated", SqliteSession.ToMs(property.UpdatedUtc)));

    public Task<int> DeleteAsync(string application, string identifier, string? property, CancellationToken cancellationToken) =>
        property is null
            ? session.ExecuteAsync("DELETE FROM config_values WHERE app_name = $app AND identifier = $id", cancellationToken,
                ("$app", application), ("$id", identifier))
            : session.ExecuteAsync("DELETE FROM config_values WHERE app_name = $app AND identifier = $id AND property = $prop",
                cancellationToken, ("$app", application), ("$id", identifier), ("$prop", property));

    public async IAsyncEnumerable<(string Application, string Identifier, ConfigPropertyRecord Property)> ScanAsync(
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var command = session.Command(
            "SELECT app_name, identifier, property, masked, envelope, updated_ms FROM config_values ORDER BY app_name, identifier, seq");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            yield return (reader.GetString(0), reader.GetString(1), ReadProperty(reader, 2));
        }
    }

    private static ConfigPropertyRecord ReadProperty(Microsoft.Data.Sqlite.SqliteDataReader reader, int first) =>
        new(reader.GetString(first), reader.GetInt64(first + 1) != 0, (byte[])reader.GetValue(first + 2),
            SqliteSession.FromMs(reader.GetInt64(first + 3)));
}
