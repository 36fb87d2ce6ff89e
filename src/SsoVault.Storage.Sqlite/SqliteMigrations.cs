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
        // 4: global settings, the built-in directory (accounts, groups, API keys) and the system-wide roles.
        """
        ALTER TABLE system_info ADD COLUMN sso_enabled INTEGER NOT NULL DEFAULT 1;
        ALTER TABLE system_info ADD COLUMN tickets_allowed INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE system_info ADD COLUMN tickets_validated INTEGER NOT NULL DEFAULT 1;
        ALTER TABLE system_info ADD COLUMN ticket_timeout_minutes INTEGER NOT NULL DEFAULT 2;
        ALTER TABLE system_info ADD COLUMN cred_cache_timeout_minutes INTEGER NOT NULL DEFAULT 60;
        ALTER TABLE system_info ADD COLUMN audit_deleted_apps INTEGER NOT NULL DEFAULT 1000;
        ALTER TABLE system_info ADD COLUMN audit_deleted_mappings INTEGER NOT NULL DEFAULT 1000;
        ALTER TABLE system_info ADD COLUMN audit_credential_lookups INTEGER NOT NULL DEFAULT 1000;
        CREATE TABLE accounts (
            name TEXT NOT NULL PRIMARY KEY COLLATE NOCASE,
            kind TEXT NOT NULL CHECK (kind IN ('user', 'group')),
            created_ms INTEGER NOT NULL
        );
        CREATE TABLE group_members (
            group_name TEXT NOT NULL COLLATE NOCASE REFERENCES accounts (name) ON DELETE CASCADE,
            member TEXT NOT NULL COLLATE NOCASE REFERENCES accounts (name) ON DELETE CASCADE,
            PRIMARY KEY (group_name, member)
        );
        CREATE INDEX group_members_by_member ON group_members (member);
        CREATE TABLE api_keys (
            id TEXT NOT NULL PRIMARY KEY,
            account TEXT NOT NULL COLLATE NOCASE REFERENCES accounts (name) ON DELETE CASCADE,
            secret_hash BLOB NOT NULL,
            description TEXT NOT NULL,
            created_ms INTEGER NOT NULL,
            revoked_ms INTEGER
        );
        CREATE TABLE system_roles (
            role TEXT NOT NULL CHECK (role IN ('sso-admin', 'affiliate-admin')),
            account TEXT NOT NULL COLLATE NOCASE REFERENCES accounts (name),
            seq INTEGER NOT NULL,
            PRIMARY KEY (role, account)
        );
        INSERT INTO accounts (name, kind, created_ms) VALUES
            ('SSO\SSO Administrators', 'group', CAST(strftime('%s', 'now') AS INTEGER) * 1000),
            ('SSO\SSO Affiliate Administrators', 'group', CAST(strftime('%s', 'now') AS INTEGER) * 1000);
        INSERT INTO system_roles (role, account, seq) VALUES
            ('sso-admin', 'SSO\SSO Administrators', 1),
            ('affiliate-admin', 'SSO\SSO Affiliate Administrators', 1);
        """,
        // 5: affiliate applications in full: descriptions, account lists, fields, mappings and credentials.
        """
        ALTER TABLE applications ADD COLUMN description TEXT NOT NULL DEFAULT '';
        ALTER TABLE applications ADD COLUMN contact TEXT NOT NULL DEFAULT '';
        ALTER TABLE applications ADD COLUMN ticket_timeout_minutes INTEGER;
        CREATE TABLE application_accounts (
            app_name TEXT NOT NULL COLLATE NOCASE REFERENCES applications (name) ON DELETE CASCADE,
            role TEXT NOT NULL CHECK (role IN ('users', 'admins')),
            account TEXT NOT NULL COLLATE NOCASE,
            seq INTEGER NOT NULL,
            PRIMARY KEY (app_name, role, account)
        );
        CREATE TABLE fields (
            app_name TEXT NOT NULL COLLATE NOCASE REFERENCES applications (name) ON DELETE CASCADE,
            ordinal INTEGER NOT NULL,
            label TEXT NOT NULL,
            masked INTEGER NOT NULL,
            sync INTEGER NOT NULL,
            PRIMARY KEY (app_name, ordinal)
        );
        CREATE TABLE mappings (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            app_name TEXT NOT NULL COLLATE NOCASE REFERENCES applications (name) ON DELETE CASCADE,
            windows_account TEXT NOT NULL COLLATE NOCASE,
            external_user TEXT NOT NULL COLLATE NOCASE,
            host_group INTEGER NOT NULL,
            enabled INTEGER NOT NULL,
            flags INTEGER NOT NULL,
            created_ms INTEGER NOT NULL,
            updated_ms INTEGER NOT NULL
        );
        CREATE UNIQUE INDEX mappings_one_per_external_user ON mappings (app_name, external_user);
        CREATE UNIQUE INDEX mappings_one_per_windows_account ON mappings (app_name, windows_account) WHERE host_group = 0;
        CREATE INDEX mappings_by_windows_account ON mappings (windows_account);
        CREATE TABLE credentials (
            mapping_id INTEGER NOT NULL REFERENCES mappings (id) ON DELETE CASCADE,
            ordinal INTEGER NOT NULL,
            envelope BLOB NOT NULL,
            PRIMARY KEY (mapping_id, ordinal)
        );
        """,
        // 6: change epochs for caches. Triggers bump them on every change that can alter a lookup's answer, so no code
        //    path (present or future) can forget to; a cached answer is valid while both epochs it was read with hold.
        """
        ALTER TABLE system_info ADD COLUMN change_epoch INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE applications ADD COLUMN change_epoch INTEGER NOT NULL DEFAULT 0;
        CREATE TRIGGER system_settings_changed AFTER UPDATE OF secret_server, sso_enabled, tickets_allowed, tickets_validated,
            ticket_timeout_minutes, cred_cache_timeout_minutes ON system_info
        BEGIN UPDATE system_info SET change_epoch = change_epoch + 1 WHERE id = 1; END;
        CREATE TRIGGER system_roles_added AFTER INSERT ON system_roles BEGIN UPDATE system_info SET change_epoch = change_epoch + 1; END;
        CREATE TRIGGER system_roles_removed AFTER DELETE ON system_roles BEGIN UPDATE system_info SET change_epoch = change_epoch + 1; END;
        CREATE TRIGGER accounts_removed AFTER DELETE ON accounts BEGIN UPDATE system_info SET change_epoch = change_epoch + 1; END;
        CREATE TRIGGER group_members_added AFTER INSERT ON group_members BEGIN UPDATE system_info SET change_epoch = change_epoch + 1; END;
        CREATE TRIGGER group_members_removed AFTER DELETE ON group_members BEGIN UPDATE system_info SET change_epoch = change_epoch + 1; END;
        CREATE TRIGGER applications_changed AFTER UPDATE OF flags, description, contact, ticket_timeout_minutes ON applications
        BEGIN UPDATE applications SET change_epoch = change_epoch + 1 WHERE name = NEW.name; END;
        CREATE TRIGGER application_accounts_added AFTER INSERT ON application_accounts
        BEGIN UPDATE applications SET change_epoch = change_epoch + 1 WHERE name = NEW.app_name; END;
        CREATE TRIGGER application_accounts_removed AFTER DELETE ON application_accounts
        BEGIN UPDATE applications SET change_epoch = change_epoch + 1 WHERE name = OLD.app_name; END;
        CREATE TRIGGER fields_added AFTER INSERT ON fields
        BEGIN UPDATE applications SET change_epoch = change_epoch + 1 WHERE name = NEW.app_name; END;
        CREATE TRIGGER mappings_added AFTER INSERT ON mappings
        BEGIN UPDATE applications SET change_epoch = change_epoch + 1 WHERE name = NEW.app_name; END;
        CREATE TRIGGER mappings_changed AFTER UPDATE ON mappings
        BEGIN UPDATE applications SET change_epoch = change_epoch + 1 WHERE name = NEW.app_name; END;
        CREATE TRIGGER mappings_removed AFTER DELETE ON mappings
        BEGIN UPDATE applications SET change_epoch = change_epoch + 1 WHERE name = OLD.app_name; END;
        CREATE TRIGGER credentials_added AFTER INSERT ON credentials
        BEGIN UPDATE applications SET change_epoch = change_epoch + 1 WHERE name = (SELECT app_name FROM mappings WHERE id = NEW.mapping_id); END;
        CREATE TRIGGER credentials_removed AFTER DELETE ON credentials
        BEGIN UPDATE applications SET change_epoch = change_epoch + 1 WHERE name = (SELECT app_name FROM mappings WHERE id = OLD.mapping_id); END;
        """,
        // 7: data-key rotation. Each value records the data key it is encrypted under (every value so far was under key 1,
        //    the only key that existed), so the re-encryption job and key retirement can count instead of assume.
        """
        ALTER TABLE config_values ADD COLUMN key_id INTEGER NOT NULL DEFAULT 1;
        ALTER TABLE credentials ADD COLUMN key_id INTEGER NOT NULL DEFAULT 1;
        CREATE INDEX config_values_by_key ON config_values (key_id);
        CREATE INDEX credentials_by_key ON credentials (key_id);
        ALTER TABLE data_keys ADD COLUMN encryptions INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE data_keys ADD COLUMN retired_ms INTEGER;
        CREATE TABLE reencryption_jobs (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            target_key_id INTEGER NOT NULL,
            started_ms INTEGER NOT NULL,
            updated_ms INTEGER NOT NULL,
            finished_ms INTEGER,
            stage INTEGER NOT NULL,
            cursor INTEGER NOT NULL,
            processed INTEGER NOT NULL,
            skipped INTEGER NOT NULL
        );
        """,
        // 8: node trust. Nodes that joined before trust existed stay approved; they register their identity key at the
        //    next start of their server (docs/architecture.md, "Nodes and their trust").
        """
        ALTER TABLE nodes ADD COLUMN state TEXT NOT NULL DEFAULT 'approved' CHECK (state IN ('pending', 'approved', 'removed'));
        ALTER TABLE nodes ADD COLUMN identity_key BLOB;
        ALTER TABLE nodes ADD COLUMN address TEXT;
        ALTER TABLE nodes ADD COLUMN certificate_sha256 TEXT;
        ALTER TABLE nodes ADD COLUMN changed_ms INTEGER;
        """,
        // 9: API keys join the system's change epoch: revoking (or deleting) a key bumps it, so a server's cache of
        //    authenticated keys, validated by that epoch like the lookup caches, refuses a revoked key on its next use.
        """
        CREATE TRIGGER api_keys_changed AFTER UPDATE ON api_keys BEGIN UPDATE system_info SET change_epoch = change_epoch + 1 WHERE id = 1; END;
        CREATE TRIGGER api_keys_removed AFTER DELETE ON api_keys BEGIN UPDATE system_info SET change_epoch = change_epoch + 1 WHERE id = 1; END;
        """,
        // 10: PostgreSQL's epoch triggers bump once per transaction from here (its row versions made repeated bumps
        //     quadratic); SQLite updates a row in place, so nothing changes here. The step keeps both engines' schema
        //     versions equal.
        """
        SELECT 1;
        """,
    ];
}
