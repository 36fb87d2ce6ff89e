namespace SsoVault.Storage.Sqlite;

/// <summary>
/// The schema, as an ordered list of migrations. Migration N brings a database from version N-1 to N. Never edit a
/// migration that has shipped: add a new one. The PostgreSQL provider keeps the same version numbers.
/// </summary>
internal static class SqliteMigrations
{
    public static readonly IReadOnlyList<string> Steps =
    [
        // 1: global info, nodes and the key ring.
        """
        CREATE TABLE system_info (
            id INTEGER PRIMARY KEY CHECK (id = 1),
            system_id TEXT NOT NULL,
            secret_server TEXT NOT NULL,
            created_ms INTEGER NOT NULL,
            current_msid TEXT, current_kcv TEXT, current_created_ms INTEGER,
            previous_msid TEXT, previous_kcv TEXT, previous_created_ms INTEGER,
            last_backup_ms INTEGER, last_backup_msid TEXT
        );
        CREATE TABLE nodes (
            name TEXT NOT NULL PRIMARY KEY COLLATE NOCASE,
            joined_ms INTEGER NOT NULL
        );
        CREATE TABLE data_keys (
            id INTEGER NOT NULL PRIMARY KEY,
            created_ms INTEGER NOT NULL,
            wrapped_msid TEXT NOT NULL,
            wrapped BLOB NOT NULL,
            state TEXT NOT NULL CHECK (state IN ('active', 'retired'))
        );
        """,
        // 2: the config store.
        """
        CREATE TABLE applications (
            name TEXT NOT NULL PRIMARY KEY COLLATE NOCASE,
            app_type INTEGER NOT NULL,
            flags INTEGER NOT NULL,
            created_ms INTEGER NOT NULL
        );
        CREATE TABLE config_values (
            app_name TEXT NOT NULL COLLATE NOCASE REFERENCES applications (name) ON DELETE CASCADE,
            identifier TEXT NOT NULL,
            property TEXT NOT NULL,
            seq INTEGER NOT NULL,
            masked INTEGER NOT NULL,
            envelope BLOB NOT NULL,
            updated_ms INTEGER NOT NULL,
            PRIMARY KEY (app_name, identifier, property)
        );
        """,
        // 3: the audit trail.
        """
        CREATE TABLE audit_events (
            seq INTEGER PRIMARY KEY AUTOINCREMENT,
            time_ms INTEGER NOT NULL,
            event_id INTEGER NOT NULL,
            node TEXT NOT NULL,
            actor TEXT NOT NULL,
            message TEXT NOT NULL
        );
        """,
    ];
}
