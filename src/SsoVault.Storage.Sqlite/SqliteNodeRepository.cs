using SsoVault.Core.Storage;

namespace SsoVault.Storage.Sqlite;

internal sealed class SqliteNodeRepository(SqliteSession session) : INodeRepository
{
    public async Task<IReadOnlyList<NodeRecord>> ListAsync(CancellationToken cancellationToken)
    {
        await using var command = session.Command("SELECT name, joined_ms FROM nodes ORDER BY joined_ms, name");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var nodes = new List<NodeRecord>();
        while (await reader.ReadAsync(cancellationToken))
        {
            nodes.Add(new NodeRecord(reader.GetString(0), SqliteSession.FromMs(reader.GetInt64(1))));
        }

        return nodes;
    }

    public async Task<NodeRecord?> FindAsync(string name, CancellationToken cancellationToken)
    {
        await using var command = session.Command("SELECT name, joined_ms FROM nodes WHERE name = $name", ("$name", name));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken)
            ? new NodeRecord(reader.GetString(0), SqliteSession.FromMs(reader.GetInt64(1)))
            : null;
    }

    public Task AddAsync(NodeRecord node, CancellationToken cancellationToken) =>
        session.ExecuteAsync("INSERT INTO nodes (name, joined_ms) VALUES ($name, $joined)", cancellationToken,
            ("$name", node.Name), ("$joined", SqliteSession.ToMs(node.JoinedUtc)));
}
