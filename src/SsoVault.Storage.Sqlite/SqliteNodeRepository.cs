using Microsoft.Data.Sqlite;
using SsoVault.Core.Storage;

namespace SsoVault.Storage.Sqlite;

internal sealed class SqliteNodeRepository(SqliteSession session) : INodeRepository
{
    private const string Columns = "name, joined_ms, state, identity_key, address, certificate_sha256, changed_ms";

    public async Task<IReadOnlyList<NodeRecord>> ListAsync(CancellationToken cancellationToken)
    {
        await using var command = session.Command($"SELECT {Columns} FROM nodes ORDER BY joined_ms, name");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var nodes = new List<NodeRecord>();
        while (await reader.ReadAsync(cancellationToken))
        {
            nodes.Add(Read(reader));
        }

        return nodes;
    }

    public async Task<NodeRecord?> FindAsync(string name, CancellationToken cancellationToken)
    {
        await using var command = session.Command($"SELECT {Columns} FROM nodes WHERE name = $name", ("$name", name));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? Read(reader) : null;
    }

    public Task AddAsync(NodeRecord node, CancellationToken cancellationToken) =>
        session.ExecuteAsync($"INSERT INTO nodes ({Columns}) VALUES ($name, $joined, $state, $key, $address, $certificate, $changed)",
            cancellationToken, Parameters(node));

    public Task UpdateAsync(NodeRecord node, CancellationToken cancellationToken) =>
        session.ExecuteAsync("UPDATE nodes SET state = $state, identity_key = $key, address = $address, certificate_sha256 = $certificate, " +
                             "changed_ms = $changed WHERE name = $name", cancellationToken, Parameters(node));

    public Task DeleteAsync(string name, CancellationToken cancellationToken) =>
        session.ExecuteAsync("DELETE FROM nodes WHERE name = $name", cancellationToken, ("$name", name));

    private static (string, object?)[] Parameters(NodeRecord node) =>
    [
        ("$name", node.Name), ("$joined", SqliteSession.ToMs(node.JoinedUtc)), ("$state", NodeStates.ToText(node.State)),
        ("$key", node.IdentityKey), ("$address", node.Address), ("$certificate", node.CertificateSha256),
        ("$changed", node.ChangedUtc is { } changed ? SqliteSession.ToMs(changed) : null),
    ];

    private static NodeRecord Read(SqliteDataReader reader) => new(reader.GetString(0), SqliteSession.FromMs(reader.GetInt64(1)))
    {
        State = NodeStates.Parse(reader.GetString(2)),
        IdentityKey = reader.IsDBNull(3) ? null : (byte[])reader.GetValue(3),
        Address = reader.IsDBNull(4) ? null : reader.GetString(4),
        CertificateSha256 = reader.IsDBNull(5) ? null : reader.GetString(5),
        ChangedUtc = SqliteSession.NullableFromMs(reader, 6),
    };
}
