using SsoVault.Core.Storage;

namespace SsoVault.Storage.Sqlite;

internal sealed class SqliteApplicationRepository(SqliteSession session) : IApplicationRepository
{
    private const string Columns = "name, app_type, flags, created_ms, description, contact, ticket_timeout_minutes";

    public async Task<ApplicationRecord?> FindAsync(string name, CancellationToken cancellationToken)
    {
        await using var command = session.Command($"SELECT {Columns} FROM applications WHERE name = $name", ("$name", name));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? Read(reader) : null;
    }

    public Task AddAsync(ApplicationRecord application, CancellationToken cancellationToken) =>
        session.ExecuteAsync($"INSERT INTO applications ({Columns}) VALUES ($name, $type, $flags, $created, $description, $contact, $timeout)",
            cancellationToken, Parameters(application));

    public async Task UpdateAsync(ApplicationRecord application, CancellationToken cancellationToken)
    {
        var rows = await session.ExecuteAsync("""
            UPDATE applications SET flags = $flags, description = $description, contact = $contact, ticket_timeout_minutes = $timeout
            WHERE name = $name
            """, cancellationToken, Parameters(application));
        if (rows != 1)
        {
            throw new InvalidOperationException($"Application {application.Name} vanished during an update.");
        }
    }

    public async Task<bool> DeleteAsync(string name, CancellationToken cancellationToken) =>
        await session.ExecuteAsync("DELETE FROM applications WHERE name = $name", cancellationToken, ("$name", name)) > 0;

    public async Task<IReadOnlyList<ApplicationRecord>> ListAsync(CancellationToken cancellationToken)
    {
        await using var command = session.Command($"SELECT {Columns} FROM applications ORDER BY name COLLATE NOCASE");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var applications = new List<ApplicationRecord>();
        while (await reader.ReadAsync(cancellationToken))
        {
            applications.Add(Read(reader));
        }

        return applications;
    }

    public async Task<IReadOnlyList<string>> GetAccountsAsync(string application, ApplicationAccountRole role, CancellationToken cancellationToken)
    {
        await using var command = session.Command("SELECT account FROM application_accounts WHERE app_name = $app AND role = $role ORDER BY seq",
            ("$app", application), ("$role", RoleName(role)));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var accounts = new List<string>();
        while (await reader.ReadAsync(cancellationToken))
        {
            accounts.Add(reader.GetString(0));
        }

        return accounts;
    }

    public async Task SetAccountsAsync(string application, ApplicationAccountRole role, IReadOnlyList<string> accounts, CancellationToken cancellationToken)
    {
        await session.ExecuteAsync("DELETE FROM application_accounts WHERE app_name = $app AND role = $role", cancellationToken,
            ("$app", application), ("$role", RoleName(role)));
        for (var i = 0; i < accounts.Count; i++)
        {
            await session.ExecuteAsync("INSERT INTO application_accounts (app_name, role, account, seq) VALUES ($app, $role, $account, $seq)",
                cancellationToken, ("$app", application), ("$role", RoleName(role)), ("$account", accounts[i]), ("$seq", i + 1));
        }
    }

    public async Task<IReadOnlyList<FieldRecord>> GetFieldsAsync(string application, CancellationToken cancellationToken)
    {
        await using var command = session.Command("SELECT ordinal, label, masked, sync FROM fields WHERE app_name = $app ORDER BY ordinal",
            ("$app", application));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var fields = new List<FieldRecord>();
        while (await reader.ReadAsync(cancellationToken))
        {
            fields.Add(new FieldRecord(reader.GetInt32(0), reader.GetString(1), reader.GetInt64(2) != 0, reader.GetInt64(3) != 0));
        }

        return fields;
    }

    public Task AddFieldAsync(string application, FieldRecord field, CancellationToken cancellationToken) =>
        session.ExecuteAsync("INSERT INTO fields (app_name, ordinal, label, masked, sync) VALUES ($app, $ordinal, $label, $masked, $sync)",
            cancellationToken, ("$app", application), ("$ordinal", field.Ordinal), ("$label", field.Label),
            ("$masked", field.Masked ? 1 : 0), ("$sync", field.Synchronized ? 1 : 0));

    public Task<ChangeEpochs?> GetChangeEpochsAsync(string application, CancellationToken cancellationToken) =>
        ReadChangeEpochsAsync(session, application, cancellationToken);

    internal static async Task<ChangeEpochs?> ReadChangeEpochsAsync(SqliteSession session, string application, CancellationToken cancellationToken)
    {
        var command = session.Prepared(
            "SELECT s.change_epoch, a.change_epoch FROM system_info s, applications a WHERE s.id = 1 AND a.name = $app", ("$app", application));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? new ChangeEpochs(reader.GetInt64(0), reader.GetInt64(1)) : null;
    }

    public Task BumpChangeEpochAsync(string application, CancellationToken cancellationToken) =>
        session.ExecuteAsync("UPDATE applications SET change_epoch = change_epoch + 1 WHERE name = $app", cancellationToken, ("$app", application));

    private static (string, object?)[] Parameters(ApplicationRecord application) =>
    [
        ("$name", application.Name), ("$type", (int)application.Type), ("$flags", application.Flags),
        ("$created", SqliteSession.ToMs(application.CreatedUtc)), ("$description", application.Description),
        ("$contact", application.Contact), ("$timeout", application.TicketTimeoutMinutes),
    ];

    private static ApplicationRecord Read(Microsoft.Data.Sqlite.SqliteDataReader reader) =>
        new(reader.GetString(0), (ApplicationType)reader.GetInt32(1), reader.GetInt32(2), SqliteSession.FromMs(reader.GetInt64(3)))
        {
            Description = reader.GetString(4),
            Contact = reader.GetString(5),
            TicketTimeoutMinutes = reader.IsDBNull(6) ? null : reader.GetInt32(6),
        };

    private static string RoleName(ApplicationAccountRole role) => role == ApplicationAccountRole.Users ? "users" : "admins";
}
