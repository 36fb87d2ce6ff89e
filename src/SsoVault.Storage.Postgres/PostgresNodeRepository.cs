using Npgsql;
using SsoVault.Core.Storage;

namespace SsoVault.Storage.Postgres;

internal sealed class PostgresNodeRepository(PostgresSession session) : INodeRepository
{
    private const string Columns = "name, joined_ms, state, identity_key, address, certificate_sha256, changed_ms";

    public Task<IReadOnlyList<NodeRecord>> ListAsync(CancellationToken cancellationToken) =>
        session.ListAsync($"SELECT {Columns} FROM nodes ORDER BY joined_ms, name", Read, cancellationToken);

    public Task<NodeRecord?> FindAsync(string name, CancellationToken cancellationToken) =>
        session.FirstOrDefaultAsync($"SELECT {Columns} FROM nodes WHERE name = @name::citext", Read, cancellationToken, ("name", name));

    public Task AddAsync(NodeRecord node, CancellationToken cancellationToken) =>
        session.ExecuteAsync($"INSERT INTO nodes ({Columns}) VALUES (@name, @joined, @state, @key, @address, @certificate, @changed)",
            cancellationToken, Parameters(node));

    public Task UpdateAsync(NodeRecord node, CancellationToken cancellationToken) =>
        session.ExecuteAsync("UPDATE nodes SET state = @state, identity_key = @key, address = @address, certificate_sha256 = @certificate, " +
                             "changed_ms = @changed WHERE name = @name::citext", cancellationToken, Parameters(node));

    public Task DeleteAsync(string name, CancellationToken cancellationToken) =>
        session.ExecuteAsync("DELETE FROM nodes WHERE name = @name::citext", cancellationToken, ("name", name));

    private static (string, object?)[] Parameters(NodeRecord node) =>
    [
        ("name", node.Name), ("joined", PostgresSession.ToMs(node.JoinedUtc)), ("state", NodeStates.ToText(node.State)),
        ("key", node.IdentityKey), ("address", node.Address), ("certificate", node.CertificateSha256),
        ("changed", node.ChangedUtc is { } changed ? PostgresSession.ToMs(changed) : null),
    ];

    private static NodeRecord Read(NpgsqlDataReader reader) => new(reader.GetString(0), PostgresSession.FromMs(reader.GetInt64(1)))
    {
        State = NodeStates.Parse(reader.GetString(2)),
        IdentityKey = reader.IsDBNull(3) ? null : reader.GetFieldValue<byte[]>(3),
        Address = reader.IsDBNull(4) ? null : reader.GetString(4),
        CertificateSha256 = reader.IsDBNull(5) ? null : reader.GetString(5),
        ChangedUtc = PostgresSession.NullableFromMs(reader, 6),
    };
}
