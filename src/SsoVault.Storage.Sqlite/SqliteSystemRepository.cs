using SsoVault.Core.Storage;

namespace SsoVault.Storage.Sqlite;

internal sealed class SqliteSystemRepository(SqliteSession session) : ISystemRepository
{
    private const string Columns = """
        system_id, secret_server, created_ms, current_msid, current_kcv, current_created_ms,
        previous_msid, previous_kcv, previous_created_ms, last_backup_ms, last_backup_msid
        """;

    private const string ChangeEpochSql = "SELECT change_epoch FROM system_info WHERE id = 1";

    public async Task<long> GetChangeEpochAsync(CancellationToken cancellationToken)
    {
        // Prepared: every authenticated request of a server reads it (docs/benchmarks.md).
        var command = session.Prepared(ChangeEpochSql);
        return await command.ExecuteScalarAsync(cancellationToken) is long epoch ? epoch : 0;
    }

    public async Task<SystemInfo?> GetAsync(CancellationToken cancellationToken)
    {
        await using var command = session.Command($"SELECT {Columns} FROM system_info WHERE id = 1");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            return null;
        }

        return new SystemInfo
        {
            SystemId = Guid.Parse(reader.GetString(0)),
            SecretServer = reader.GetString(1),
            CreatedUtc = SqliteSession.FromMs(reader.GetInt64(2)),
            Current = ReadSecret(reader, 3),
            Previous = ReadSecret(reader, 6),
            LastBackupUtc = SqliteSession.NullableFromMs(reader, 9),
            LastBackupMsid = SqliteSession.NullableGuid(reader, 10),
        };
    }

    public Task InsertAsync(SystemInfo info, CancellationToken cancellationToken) =>
        session.ExecuteAsync($"INSERT INTO system_info (id, {Columns}) VALUES (1, $sid, $ss, $cr, $cm, $ck, $cc, $pm, $pk, $pc, $lb, $lbm)",
            cancellationToken, Parameters(info));

    public async Task UpdateAsync(SystemInfo info, CancellationToken cancellationToken)
    {
        var rows = await session.ExecuteAsync("""
            UPDATE system_info SET system_id = $sid, secret_server = $ss, created_ms = $cr,
                current_msid = $cm, current_kcv = $ck, current_created_ms = $cc,
                previous_msid = $pm, previous_kcv = $pk, previous_created_ms = $pc,
                last_backup_ms = $lb, last_backup_msid = $lbm
            WHERE id = 1
            """, cancellationToken, Parameters(info));
        if (rows != 1)
        {
            throw new InvalidOperationException("The global info row is missing.");
        }
    }

    public async Task<GlobalSettings> GetSettingsAsync(CancellationToken cancellationToken)
    {
        await using var command = session.Command("""
            SELECT sso_enabled, tickets_allowed, tickets_validated, ticket_timeout_minutes, cred_cache_timeout_minutes,
                   audit_deleted_apps, audit_deleted_mappings, audit_credential_lookups
            FROM system_info WHERE id = 1
            """);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            throw new InvalidOperationException("The global info row is missing.");
        }

        return new GlobalSettings
        {
            SsoEnabled = reader.GetInt64(0) != 0,
            TicketsAllowed = reader.GetInt64(1) != 0,
            TicketsValidated = reader.GetInt64(2) != 0,
            TicketTimeoutMinutes = reader.GetInt32(3),
            CredentialCacheTimeoutMinutes = reader.GetInt32(4),
            AuditDeletedApps = reader.GetInt32(5),
            AuditDeletedMappings = reader.GetInt32(6),
            AuditCredentialLookups = reader.GetInt32(7),
        };
    }

    public async Task UpdateSettingsAsync(GlobalSettings settings, CancellationToken cancellationToken)
    {
        var rows = await session.ExecuteAsync("""
            UPDATE system_info SET sso_enabled = $e, tickets_allowed = $ta, tickets_validated = $tv,
                ticket_timeout_minutes = $tt, cred_cache_timeout_minutes = $ct,
                audit_deleted_apps = $a1, audit_deleted_mappings = $a2, audit_credential_lookups = $a3
            WHERE id = 1
            """, cancellationToken,
            ("$e", settings.SsoEnabled ? 1 : 0), ("$ta", settings.TicketsAllowed ? 1 : 0), ("$tv", settings.TicketsValidated ? 1 : 0),
            ("$tt", settings.TicketTimeoutMinutes), ("$ct", settings.CredentialCacheTimeoutMinutes),
            ("$a1", settings.AuditDeletedApps), ("$a2", settings.AuditDeletedMappings), ("$a3", settings.AuditCredentialLookups));
        if (rows != 1)
        {
            throw new InvalidOperationException("The global info row is missing.");
        }
    }

    public async Task<IReadOnlyList<string>> GetRoleAccountsAsync(SystemRole role, CancellationToken cancellationToken)
    {
        await using var command = session.Command("SELECT account FROM system_roles WHERE role = $role ORDER BY seq", ("$role", RoleName(role)));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var accounts = new List<string>();
        while (await reader.ReadAsync(cancellationToken))
        {
            accounts.Add(reader.GetString(0));
        }

        return accounts;
    }

    public async Task SetRoleAccountsAsync(SystemRole role, IReadOnlyList<string> accounts, CancellationToken cancellationToken)
    {
        await session.ExecuteAsync("DELETE FROM system_roles WHERE role = $role", cancellationToken, ("$role", RoleName(role)));
        for (var i = 0; i < accounts.Count; i++)
        {
            await session.ExecuteAsync("INSERT INTO system_roles (role, account, seq) VALUES ($role, $account, $seq)", cancellationToken,
                ("$role", RoleName(role)), ("$account", accounts[i]), ("$seq", i + 1));
        }
    }

    private static string RoleName(SystemRole role) => role switch
    {
        SystemRole.SsoAdministrators => "sso-admin",
        SystemRole.AffiliateAdministrators => "affiliate-admin",
        _ => throw new ArgumentOutOfRangeException(nameof(role)),
    };

    private static (string, object?)[] Parameters(SystemInfo info) =>
    [
        ("$sid", info.SystemId.ToString("D")),
        ("$ss", info.SecretServer),
        ("$cr", SqliteSession.ToMs(info.CreatedUtc)),
        ("$cm", info.Current?.Msid.ToString("D")),
        ("$ck", info.Current?.KeyCheck),
        ("$cc", SqliteSession.ToMs(info.Current?.CreatedUtc)),
        ("$pm", info.Previous?.Msid.ToString("D")),
        ("$pk", info.Previous?.KeyCheck),
        ("$pc", SqliteSession.ToMs(info.Previous?.CreatedUtc)),
        ("$lb", SqliteSession.ToMs(info.LastBackupUtc)),
        ("$lbm", info.LastBackupMsid?.ToString("D")),
    ];

    private static MasterSecretInfo? ReadSecret(Microsoft.Data.Sqlite.SqliteDataReader reader, int first) =>
        reader.IsDBNull(first)
            ? null
            : new MasterSecretInfo(Guid.Parse(reader.GetString(first)), reader.GetString(first + 1),
                SqliteSession.FromMs(reader.GetInt64(first + 2)));
}
