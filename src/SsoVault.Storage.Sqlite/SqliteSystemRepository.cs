using SsoVault.Core.Storage;

namespace SsoVault.Storage.Sqlite;

internal sealed class SqliteSystemRepository(SqliteSession session) : ISystemRepository
{
    private const string Columns = """
        system_id, secret_server, created_ms, current_msid, current_kcv, current_created_ms,
        previous_msid, previous_kcv, previous_created_ms, last_backup_ms, last_backup_msid
        """;

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
