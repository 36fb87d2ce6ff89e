using SsoVault.Core.Storage;

namespace SsoVault.Storage.Sqlite;

internal sealed class SqliteAccountRepository(SqliteSession session) : IAccountRepository
{
    public async Task<AccountRecord?> FindAsync(string name, CancellationToken cancellationToken)
    {
        await using var command = session.Command("SELECT name, kind, created_ms FROM accounts WHERE name = $name", ("$name", name));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? ReadAccount(reader) : null;
    }

    public async Task<IReadOnlyList<AccountRecord>> ListAsync(CancellationToken cancellationToken)
    {
        await using var command = session.Command("SELECT name, kind, created_ms FROM accounts ORDER BY name COLLATE NOCASE");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var accounts = new List<AccountRecord>();
        while (await reader.ReadAsync(cancellationToken))
        {
            accounts.Add(ReadAccount(reader));
        }

        return accounts;
    }

    public Task AddAsync(AccountRecord account, CancellationToken cancellationToken) =>
        session.ExecuteAsync("INSERT INTO accounts (name, kind, created_ms) VALUES ($name, $kind, $created)", cancellationToken,
            ("$name", account.Name), ("$kind", account.Kind == AccountKind.Group ? "group" : "user"), ("$created", SqliteSession.ToMs(account.CreatedUtc)));

    public async Task<bool> RemoveAsync(string name, CancellationToken cancellationToken) =>
        await session.ExecuteAsync("DELETE FROM accounts WHERE name = $name", cancellationToken, ("$name", name)) > 0;

    public async Task<bool> AddMemberAsync(string group, string member, CancellationToken cancellationToken) =>
        await session.ExecuteAsync("INSERT OR IGNORE INTO group_members (group_name, member) VALUES ($group, $member)", cancellationToken,
            ("$group", group), ("$member", member)) > 0;

    public async Task<bool> RemoveMemberAsync(string group, string member, CancellationToken cancellationToken) =>
        await session.ExecuteAsync("DELETE FROM group_members WHERE group_name = $group AND member = $member", cancellationToken,
            ("$group", group), ("$member", member)) > 0;

    public Task<IReadOnlyList<string>> ListMembersAsync(string group, CancellationToken cancellationToken) =>
        ReadStringsAsync("SELECT member FROM group_members WHERE group_name = $name ORDER BY member COLLATE NOCASE", group, cancellationToken);

    public Task<IReadOnlyList<string>> ListGroupsOfAsync(string member, CancellationToken cancellationToken) =>
        ReadStringsAsync("SELECT group_name FROM group_members WHERE member = $name ORDER BY group_name COLLATE NOCASE", member, cancellationToken);

    /// <summary>One recursive query; UNION (not UNION ALL) stops at cycles.</summary>
    public Task<IReadOnlyList<string>> ResolveMembershipsAsync(string account, CancellationToken cancellationToken) =>
        ReadStringsAsync("""
            WITH RECURSIVE memberships (name) AS (
                SELECT name FROM accounts WHERE name = $name
                UNION
                SELECT g.group_name FROM group_members g JOIN memberships m ON g.member = m.name
            )
            SELECT name FROM memberships
            """, account, cancellationToken);

    public Task AddApiKeyAsync(ApiKeyRecord key, CancellationToken cancellationToken) =>
        session.ExecuteAsync("""
            INSERT INTO api_keys (id, account, secret_hash, description, created_ms, revoked_ms)
            VALUES ($id, $account, $hash, $description, $created, $revoked)
            """, cancellationToken,
            ("$id", key.Id), ("$account", key.Account), ("$hash", key.SecretHash), ("$description", key.Description),
            ("$created", SqliteSession.ToMs(key.CreatedUtc)), ("$revoked", SqliteSession.ToMs(key.RevokedUtc)));

    public async Task<ApiKeyRecord?> FindApiKeyAsync(string id, CancellationToken cancellationToken)
    {
        await using var command = session.Command(
            "SELECT id, account, secret_hash, description, created_ms, revoked_ms FROM api_keys WHERE id = $id", ("$id", id));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? ReadApiKey(reader) : null;
    }

    public async Task<IReadOnlyList<ApiKeyRecord>> ListApiKeysAsync(string? account, CancellationToken cancellationToken)
    {
        await using var command = session.Command(
            "SELECT id, account, secret_hash, description, created_ms, revoked_ms FROM api_keys WHERE $account IS NULL OR account = $account ORDER BY created_ms, id",
            ("$account", account));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var keys = new List<ApiKeyRecord>();
        while (await reader.ReadAsync(cancellationToken))
        {
            keys.Add(ReadApiKey(reader));
        }

        return keys;
    }

    public async Task<bool> RevokeApiKeyAsync(string id, DateTimeOffset revokedUtc, CancellationToken cancellationToken) =>
        await session.ExecuteAsync("UPDATE api_keys SET revoked_ms = $revoked WHERE id = $id AND revoked_ms IS NULL", cancellationToken,
            ("$id", id), ("$revoked", SqliteSession.ToMs(revokedUtc))) > 0;

    private async Task<IReadOnlyList<string>> ReadStringsAsync(string sql, string name, CancellationToken cancellationToken)
    {
        await using var command = session.Command(sql, ("$name", name));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var values = new List<string>();
        while (await reader.ReadAsync(cancellationToken))
        {
            values.Add(reader.GetString(0));
        }

        return values;
    }

    private static AccountRecord ReadAccount(Microsoft.Data.Sqlite.SqliteDataReader reader) =>
        new(reader.GetString(0), reader.GetString(1) == "group" ? AccountKind.Group : AccountKind.User, SqliteSession.FromMs(reader.GetInt64(2)));

    private static ApiKeyRecord ReadApiKey(Microsoft.Data.Sqlite.SqliteDataReader reader) =>
        new(reader.GetString(0), reader.GetString(1), (byte[])reader.GetValue(2), reader.GetString(3),
            SqliteSession.FromMs(reader.GetInt64(4)), SqliteSession.NullableFromMs(reader, 5));
}
