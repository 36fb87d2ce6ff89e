using SsoVault.Core.Storage;

namespace SsoVault.Storage.Sqlite;

internal sealed class SqliteAuditRepository(SqliteSession session) : IAuditRepository
{
    public Task AddAsync(AuditEvent auditEvent, CancellationToken cancellationToken) =>
        session.ExecuteAsync("INSERT INTO audit_events (time_ms, event_id, node, actor, message) VALUES ($t, $e, $n, $a, $m)",
            cancellationToken,
            ("$t", SqliteSession.ToMs(auditEvent.TimeUtc)), ("$e", auditEvent.EventId), ("$n", auditEvent.Node),
            ("$a", auditEvent.Actor), ("$m", auditEvent.Message));

    public async Task<IReadOnlyList<AuditEvent>> ListRecentAsync(int count, CancellationToken cancellationToken)
    {
        await using var command = session.Command(
            "SELECT time_ms, event_id, node, actor, message FROM audit_events ORDER BY seq DESC LIMIT $count", ("$count", count));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var events = new List<AuditEvent>();
        while (await reader.ReadAsync(cancellationToken))
        {
            events.Add(new AuditEvent(SqliteSession.FromMs(reader.GetInt64(0)), reader.GetInt32(1), reader.GetString(2),
                reader.GetString(3), reader.GetString(4)));
        }

        return events;
    }
}
