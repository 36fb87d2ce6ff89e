using Npgsql;
using SsoVault.Core.Storage;

namespace SsoVault.Storage.Postgres;

internal sealed class PostgresApplicationRepository(PostgresSession session) : IApplicationRepository
{
    private const string Columns = "name, app_type, flags, created_ms, description, contact, ticket_timeout_minutes";

    public Task<ApplicationRecord?> FindAsync(string name, CancellationToken cancellationToken) =>
        session.FirstOrDefaultAsync($"SELECT {Columns} FROM applications WHERE name = @name::citext", Read, cancellationToken, ("name", name));

    public Task AddAsync(ApplicationRecord application, CancellationToken cancellationToken) =>
        session.ExecuteAsync($"INSERT INTO applications ({Columns}) VALUES (@name, @type, @flags, @created, @description, @contact, @timeout)",
            cancellationToken, Parameters(application));

    public async Task UpdateAsync(ApplicationRecord application, CancellationToken cancellationToken)
    {
        var rows = await session.ExecuteAsync("""
            UPDATE applications SET flags = @flags, description = @description, contact = @contact, ticket_timeout_minutes = @timeout
            WHERE name = @name::citext
            """, cancellationToken, Parameters(application));
        if (rows != 1)
        {
            throw new InvalidOperationException($"Application {application.Name} vanished during an update.");
        }
    }

    public async Task<bool> DeleteAsync(string name, CancellationToken cancellationToken) =>
        await session.ExecuteAsync("DELETE FROM applications WHERE name = @name::citext", cancellationToken, ("name", name)) > 0;

    public Task<IReadOnlyList<ApplicationRecord>> ListAsync(CancellationToken cancellationToken) =>
        session.ListAsync($"SELECT {Columns} FROM applications ORDER BY name", Read, cancellationToken);

    public Task<IReadOnlyList<string>> GetAccountsAsync(string application, ApplicationAccountRole role, CancellationToken cancellationToken) =>
        session.ListAsync("SELECT account FROM application_accounts WHERE app_name = @app::citext AND role = @role ORDER BY seq",
            reader => reader.GetString(0), cancellationToken, ("app", application), ("role", RoleName(role)));

    public async Task SetAccountsAsync(string application, ApplicationAccountRole role, IReadOnlyList<string> accounts, CancellationToken cancellationToken)
    {
        await session.ExecuteAsync("DELETE FROM application_accounts WHERE app_name = @app::citext AND role = @role", cancellationToken,
            ("app", application), ("role", RoleName(role)));
        for (var i = 0; i < accounts.Count; i++)
        {
            await session.ExecuteAsync("INSERT INTO application_accounts (app_name, role, account, seq) VALUES (@app, @role, @account, @seq)",
                cancellationToken, ("app", application), ("role", RoleName(role)), ("account", accounts[i]), ("seq", i + 1));
        }
    }

    public Task<IReadOnlyList<FieldRecord>> GetFieldsAsync(string application, CancellationToken cancellationToken) =>
        session.ListAsync("SELECT ordinal, label, masked, sync FROM fields WHERE app_name = @app::citext ORDER BY ordinal",
            reader => new FieldRecord(reader.GetInt32(0), reader.GetString(1), reader.GetBoolean(2), reader.GetBoolean(3)),
            cancellationToken, ("app", application));

    public Task AddFieldAsync(string application, FieldRecord field, CancellationToken cancellationToken) =>
        session.ExecuteAsync("INSERT INTO fields (app_name, ordinal, label, masked, sync) VALUES (@app, @ordinal, @label, @masked, @sync)",
            cancellationToken, ("app", application), ("ordinal", field.Ordinal), ("label", field.Label),
            ("masked", field.Masked), ("sync", field.Synchronized));

    public async Task<ChangeEpochs?> GetChangeEpochsAsync(string application, CancellationToken cancellationToken)
    {
        await using var command = session.Command(
            "SELECT s.change_epoch, a.change_epoch FROM system_info s, applications a WHERE s.id = 1 AND a.name = @app::citext",
            ("app", application));
        await using var reader = await session.Guard(command.ExecuteReaderAsync(cancellationToken));
        return await session.Guard(reader.ReadAsync(cancellationToken)) ? new ChangeEpochs(reader.GetInt64(0), reader.GetInt64(1)) : null;
    }

    public Task BumpChangeEpochAsync(string application, CancellationToken cancellationToken) =>
        session.ExecuteAsync("UPDATE applications SET change_epoch = change_epoch + 1 WHERE name = @app::citext", cancellationToken,
            ("app", application));

    private static (string, object?)[] Parameters(ApplicationRecord application) =>
    [
        ("name", application.Name), ("type", (int)application.Type), ("flags", application.Flags),
        ("created", PostgresSession.ToMs(application.CreatedUtc)), ("description", application.Description),
        ("contact", application.Contact), ("timeout", application.TicketTimeoutMinutes),
    ];

    private static ApplicationRecord Read(NpgsqlDataReader reader) =>
        new(reader.GetString(0), (ApplicationType)reader.GetInt32(1), reader.GetInt32(2), PostgresSession.FromMs(reader.GetInt64(3)))
        {
            Description = reader.GetString(4),
            Contact = reader.GetString(5),
            TicketTimeoutMinutes = reader.IsDBNull(6) ? null : reader.GetInt32(6),
        };

    private static string RoleName(ApplicationAccountRole role) => role == ApplicationAccountRole.Users ? "users" : "admins";
}
