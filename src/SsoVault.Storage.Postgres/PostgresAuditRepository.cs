using SsoVault.Core.Storage;

namespace SsoVault.Storage.Postgres;

internal sealed class PostgresAuditRepository(PostgresSession session) : IAuditRepository
{
    public Task AddAsync(AuditEvent auditEvent, CancellationToken cancellationToken) =>
        session.ExecuteAsync("INSERT INTO audit_events (time_ms, event_id, node, actor, message) VALUES (@t, @e, @n, @a, @m)",
            cancellationToken,
            ("t", PostgresSession.ToMs(auditEvent.TimeUtc)), ("e", auditEvent.EventId), ("n", auditEvent.Node),
            ("a", auditEvent.Actor), ("m", auditEvent.Message));

    public Task<IReadOnlyList<AuditEvent>> ListRecentAsync(int count, CancellationToken cancellationToken) =>
        session.ListAsync("SELECT time_ms, event_id, node, actor, message FROM audit_events ORDER BY seq DESC LIMIT @count",
            reader => new AuditEvent(PostgresSession.FromMs(reader.GetInt64(0)), reader.GetInt32(1), reader.GetString(2),
                reader.GetString(3), reader.GetString(4)), cancellationToken, ("count", count));
}
