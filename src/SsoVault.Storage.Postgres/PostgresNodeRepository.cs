using SsoVault.Core.Storage;

namespace SsoVault.Storage.Postgres;

internal sealed class PostgresNodeRepository(PostgresSession session) : INodeRepository
{
    public Task<IReadOnlyList<NodeRecord>> ListAsync(CancellationToken cancellationToken) =>
        session.ListAsync("SELECT name, joined_ms FROM nodes ORDER BY joined_ms, name",
            reader => new NodeRecord(reader.GetString(0), PostgresSession.FromMs(reader.GetInt64(1))), cancellationToken);

    public Task<NodeRecord?> FindAsync(string name, CancellationToken cancellationToken) =>
        session.FirstOrDefaultAsync("SELECT name, joined_ms FROM nodes WHERE name = @name::citext",
            reader => new NodeRecord(reader.GetString(0), PostgresSession.FromMs(reader.GetInt64(1))), cancellationToken, ("name", name));

    public Task AddAsync(NodeRecord node, CancellationToken cancellationToken) =>
        session.ExecuteAsync("INSERT INTO nodes (name, joined_ms) VALUES (@name, @joined)", cancellationToken,
            ("name", node.Name), ("joined", PostgresSession.ToMs(node.JoinedUtc)));
}
