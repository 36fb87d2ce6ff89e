using Npgsql;
using SsoVault.Core.Storage;

namespace SsoVault.Storage.Postgres;

internal sealed class PostgresAccountRepository(PostgresSession session) : IAccountRepository
{
    private const string ApiKeyColumns = "id, account, secret_hash, description, created_ms, revoked_ms";

    public Task<AccountRecord?> FindAsync(string name, CancellationToken cancellationToken) =>
        session.FirstOrDefaultAsync("SELECT name, kind, created_ms FROM accounts WHERE name = @name::citext", ReadAccount, cancellationToken,
            ("name", name));

    public Task<IReadOnlyList<AccountRecord>> ListAsync(CancellationToken cancellationToken) =>
        session.ListAsync("SELECT name, kind, created_ms FROM accounts ORDER BY name", ReadAccount, cancellationToken);

    public Task AddAsync(AccountRecord account, CancellationToken cancellationToken) =>
        session.ExecuteAsync("INSERT INTO accounts (name, kind, created_ms) VALUES (@name, @kind, @created)", cancellationToken,
            ("name", account.Name), ("kind", account.Kind == AccountKind.Group ? "group" : "user"), ("created", PostgresSession.ToMs(account.CreatedUtc)));

    public async Task<bool> RemoveAsync(string name, CancellationToken cancellationToken) =>
        await session.ExecuteAsync("DELETE FROM accounts WHERE name = @name::citext", cancellationToken, ("name", name)) > 0;

    /// <summary>ON CONFLICT DO NOTHING (SQLite's INSERT OR IGNORE) for a duplicate; a missing account still fails its foreign key.</summary>
    public async Task<bool> AddMemberAsync(string group, string member, CancellationToken cancellationToken) =>
        await session.ExecuteAsync("INSERT INTO group_members (group_name, member) VALUES (@group, @member) ON CONFLICT DO NOTHING",
            cancellationToken, ("group", group), ("member", member)) > 0;

    public async Task<bool> RemoveMemberAsync(string group, string member, CancellationToken cancellationToken) =>
        await session.ExecuteAsync("DELETE FROM group_members WHERE group_name = @group::citext AND member = @member::citext", cancellationToken,
            ("group", group), ("member", member)) > 0;

    public Task<IReadOnlyList<string>> ListMembersAsync(string group, CancellationToken cancellationToken) =>
        session.ListAsync("SELECT member FROM group_members WHERE group_name = @name::citext ORDER BY member",
            reader => reader.GetString(0), cancellationToken, ("name", group));

    public Task<IReadOnlyList<string>> ListGroupsOfAsync(string member, CancellationToken cancellationToken) =>
        session.ListAsync("SELECT group_name FROM group_members WHERE member = @name::citext ORDER BY group_name",
            reader => reader.GetString(0), cancellationToken, ("name", member));

    /// <summary>One recursive query; UNION (not UNION ALL) stops at cycles.</summary>
    public Task<IReadOnlyList<string>> ResolveMembershipsAsync(string account, CancellationToken cancellationToken) =>
        session.ListAsync("""
            WITH RECURSIVE memberships (name) AS (
                SELECT name FROM accounts WHERE name = @name::citext
                UNION
                SELECT g.group_name FROM group_members g JOIN memberships m ON g.member = m.name
            )
            SELECT name FROM memberships
            """, reader => reader.GetString(0), cancellationToken, ("name", account));

    public Task AddApiKeyAsync(ApiKeyRecord key, CancellationToken cancellationToken) =>
        session.ExecuteAsync($"""
            INSERT INTO api_keys ({ApiKeyColumns})
            VALUES (@id, @account, @hash, @description, @created, @revoked)
            """, cancellationToken,
            ("id", key.Id), ("account", key.Account), ("hash", key.SecretHash), ("description", key.Description),
            ("created", PostgresSession.ToMs(key.CreatedUtc)), ("revoked", PostgresSession.ToMs(key.RevokedUtc)));

    public Task<ApiKeyRecord?> FindApiKeyAsync(string id, CancellationToken cancellationToken) =>
        session.FirstOrDefaultAsync($"SELECT {ApiKeyColumns} FROM api_keys WHERE id = @id", ReadApiKey, cancellationToken, ("id", id));

    public Task<IReadOnlyList<ApiKeyRecord>> ListApiKeysAsync(string? account, CancellationToken cancellationToken) =>
        session.ListAsync($"SELECT {ApiKeyColumns} FROM api_keys WHERE @account::citext IS NULL OR account = @account::citext ORDER BY created_ms, id",
            ReadApiKey, cancellationToken, ("account", account));

    public async Task<bool> RevokeApiKeyAsync(string id, DateTimeOffset revokedUtc, CancellationToken cancellationToken) =>
        await session.ExecuteAsync("UPDATE api_keys SET revoked_ms = @revoked WHERE id = @id AND revoked_ms IS NULL", cancellationToken,
            ("id", id), ("revoked", PostgresSession.ToMs(revokedUtc))) > 0;

    private static AccountRecord ReadAccount(NpgsqlDataReader reader) =>
        new(reader.GetString(0), reader.GetString(1) == "group" ? AccountKind.Group : AccountKind.User, PostgresSession.FromMs(reader.GetInt64(2)));

    private static ApiKeyRecord ReadApiKey(NpgsqlDataReader reader) =>
        new(reader.GetString(0), reader.GetString(1), reader.GetFieldValue<byte[]>(2), reader.GetString(3),
            PostgresSession.FromMs(reader.GetInt64(4)), PostgresSession.NullableFromMs(reader, 5));
}
