namespace SsoVault.Storage.Postgres;

/// <summary>
/// The schema in PostgreSQL's dialect, with the same version numbers as the SQLite provider: migration N brings a
/// database from version N-1 to N, and a step never changes once shipped. Where SQLite says <c>COLLATE NOCASE</c> this
/// says <c>citext</c>, so names compare, sort, join and stay unique without regard to case, foreign keys included.
/// Identifiers and property names of config records are case-sensitive, as in SQLite, and sort bytewise
/// (<c>COLLATE "C"</c>) whatever the database's locale. Times are unix milliseconds, ids of master secrets uuids.
/// </summary>
internal static class PostgresMigrations
{
    public static readonly IReadOnlyList<string> Steps =
    [
        // 1: global info, nodes and the key ring.
        """
        CREATE EXTENSION IF NOT EXISTS citext;
        CREATE TABLE system_info (
            id INTEGER PRIMARY KEY CHECK (id = 1),
            system_id UUID NOT NULL,
            secret_server TEXT NOT NULL,
            created_ms BIGINT NOT NULL,
            current_msid UUID, current_kcv TEXT, current_created_ms BIGINT,
            previous_msid UUID, previous_kcv TEXT, previous_created_ms BIGINT,
            last_backup_ms BIGINT, last_backup_msid UUID
        );
        CREATE TABLE nodes (
            name CITEXT NOT NULL PRIMARY KEY,
            joined_ms BIGINT NOT NULL
        );
        CREATE TABLE data_keys (
            id BIGINT NOT NULL PRIMARY KEY CHECK (id BETWEEN 0 AND 4294967295),
            created_ms BIGINT NOT NULL,
            wrapped_msid UUID NOT NULL,
            wrapped BYTEA NOT NULL,
            state TEXT NOT NULL CHECK (state IN ('active', 'retired'))
        );
        """,
        // 2: the config store.
        """
        CREATE TABLE applications (
            name CITEXT NOT NULL PRIMARY KEY,
            app_type INTEGER NOT NULL,
            flags INTEGER NOT NULL,
            created_ms BIGINT NOT NULL
        );
        CREATE TABLE config_values (
            app_name CITEXT NOT NULL REFERENCES applications (name) ON DELETE CASCADE,
            identifier TEXT COLLATE "C" NOT NULL,
            property TEXT COLLATE "C" NOT NULL,
            seq INTEGER NOT NULL,
            masked BOOLEAN NOT NULL,
            envelope BYTEA NOT NULL,
            updated_ms BIGINT NOT NULL,
            PRIMARY KEY (app_name, identifier, property)
        );
        """,
        // 3: the audit trail.
        """
        CREATE TABLE audit_events (
            seq BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            time_ms BIGINT NOT NULL,
            event_id INTEGER NOT NULL,
            node TEXT NOT NULL,
            actor TEXT NOT NULL,
            message TEXT NOT NULL
        );
        """,
        // 4: global settings, the built-in directory (accounts, groups, API keys) and the system-wide roles.
        """
        ALTER TABLE system_info
            ADD COLUMN sso_enabled BOOLEAN NOT NULL DEFAULT TRUE,
            ADD COLUMN tickets_allowed BOOLEAN NOT NULL DEFAULT FALSE,
            ADD COLUMN tickets_validated BOOLEAN NOT NULL DEFAULT TRUE,
            ADD COLUMN ticket_timeout_minutes INTEGER NOT NULL DEFAULT 2,
            ADD COLUMN cred_cache_timeout_minutes INTEGER NOT NULL DEFAULT 60,
            ADD COLUMN audit_deleted_apps INTEGER NOT NULL DEFAULT 1000,
            ADD COLUMN audit_deleted_mappings INTEGER NOT NULL DEFAULT 1000,
            ADD COLUMN audit_credential_lookups INTEGER NOT NULL DEFAULT 1000;
        CREATE TABLE accounts (
            name CITEXT NOT NULL PRIMARY KEY,
            kind TEXT NOT NULL CHECK (kind IN ('user', 'group')),
            created_ms BIGINT NOT NULL
        );
        CREATE TABLE group_members (
            group_name CITEXT NOT NULL REFERENCES accounts (name) ON DELETE CASCADE,
            member CITEXT NOT NULL REFERENCES accounts (name) ON DELETE CASCADE,
            PRIMARY KEY (group_name, member)
        );
        CREATE INDEX group_members_by_member ON group_members (member);
        CREATE TABLE api_keys (
            id TEXT NOT NULL PRIMARY KEY,
            account CITEXT NOT NULL REFERENCES accounts (name) ON DELETE CASCADE,
            secret_hash BYTEA NOT NULL,
            description TEXT NOT NULL,
            created_ms BIGINT NOT NULL,
            revoked_ms BIGINT
        );
        CREATE TABLE system_roles (
            role TEXT NOT NULL CHECK (role IN ('sso-admin', 'affiliate-admin')),
            account CITEXT NOT NULL REFERENCES accounts (name),
            seq INTEGER NOT NULL,
            PRIMARY KEY (role, account)
        );
        INSERT INTO accounts (name, kind, created_ms) VALUES
            ('SSO\SSO Administrators', 'group', (extract(epoch FROM now())::bigint) * 1000),
            ('SSO\SSO Affiliate Administrators', 'group', (extract(epoch FROM now())::bigint) * 1000);
        INSERT INTO system_roles (role, account, seq) VALUES
            ('sso-admin', 'SSO\SSO Administrators', 1),
            ('affiliate-admin', 'SSO\SSO Affiliate Administrators', 1);
        """,
        // 5: affiliate applications in full: descriptions, account lists, fields, mappings and credentials.
        """
        ALTER TABLE applications
            ADD COLUMN description TEXT NOT NULL DEFAULT '',
            ADD COLUMN contact TEXT NOT NULL DEFAULT '',
            ADD COLUMN ticket_timeout_minutes INTEGER;
        CREATE TABLE application_accounts (
            app_name CITEXT NOT NULL REFERENCES applications (name) ON DELETE CASCADE,
            role TEXT NOT NULL CHECK (role IN ('users', 'admins')),
            account CITEXT NOT NULL,
            seq INTEGER NOT NULL,
            PRIMARY KEY (app_name, role, account)
        );
        CREATE TABLE fields (
            app_name CITEXT NOT NULL REFERENCES applications (name) ON DELETE CASCADE,
            ordinal INTEGER NOT NULL,
            label TEXT NOT NULL,
            masked BOOLEAN NOT NULL,
            sync BOOLEAN NOT NULL,
            PRIMARY KEY (app_name, ordinal)
        );
        CREATE TABLE mappings (
            id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
            app_name CITEXT NOT NULL REFERENCES applications (name) ON DELETE CASCADE,
            windows_account CITEXT NOT NULL,
            external_user CITEXT NOT NULL,
            host_group BOOLEAN NOT NULL,
            enabled BOOLEAN NOT NULL,
            flags INTEGER NOT NULL,
            created_ms BIGINT NOT NULL,
            updated_ms BIGINT NOT NULL
        );
        CREATE UNIQUE INDEX mappings_one_per_external_user ON mappings (app_name, external_user);
        CREATE UNIQUE INDEX mappings_one_per_windows_account ON mappings (app_name, windows_account) WHERE NOT host_group;
        CREATE INDEX mappings_by_windows_account ON mappings (windows_account);
        CREATE TABLE credentials (
            mapping_id BIGINT NOT NULL REFERENCES mappings (id) ON DELETE CASCADE,
            ordinal INTEGER NOT NULL,
            envelope BYTEA NOT NULL,
            PRIMARY KEY (mapping_id, ordinal)
        );
        """,
        // 6: change epochs for caches, bumped by triggers on every change that can alter a lookup's answer (the same
        //    list as SQLite's), so no code path can forget to. A row's own epoch is bumped in a BEFORE trigger (no
        //    second UPDATE of the row); other tables bump it from AFTER row triggers.
        """
        ALTER TABLE system_info ADD COLUMN change_epoch BIGINT NOT NULL DEFAULT 0;
        ALTER TABLE applications ADD COLUMN change_epoch BIGINT NOT NULL DEFAULT 0;

        CREATE FUNCTION ssovault_bump_own_epoch() RETURNS trigger LANGUAGE plpgsql AS $fn$
        BEGIN
            NEW.change_epoch := OLD.change_epoch + 1;
            RETURN NEW;
        END
        $fn$;

        CREATE FUNCTION ssovault_bump_system_epoch() RETURNS trigger LANGUAGE plpgsql AS $fn$
        BEGIN
            UPDATE system_info SET change_epoch = change_epoch + 1 WHERE id = 1;
            RETURN NULL;
        END
        $fn$;

        CREATE FUNCTION ssovault_bump_application_epoch() RETURNS trigger LANGUAGE plpgsql AS $fn$
        DECLARE
            app CITEXT;
        BEGIN
            IF TG_OP = 'DELETE' THEN app := OLD.app_name; ELSE app := NEW.app_name; END IF;
            UPDATE applications SET change_epoch = change_epoch + 1 WHERE name = app;
            RETURN NULL;
        END
        $fn$;

        CREATE FUNCTION ssovault_bump_credential_application_epoch() RETURNS trigger LANGUAGE plpgsql AS $fn$
        DECLARE
            mapping BIGINT;
        BEGIN
            IF TG_OP = 'DELETE' THEN mapping := OLD.mapping_id; ELSE mapping := NEW.mapping_id; END IF;
            UPDATE applications SET change_epoch = change_epoch + 1 WHERE name = (SELECT app_name FROM mappings WHERE id = mapping);
            RETURN NULL;
        END
        $fn$;

        CREATE TRIGGER system_settings_changed BEFORE UPDATE OF secret_server, sso_enabled, tickets_allowed, tickets_validated,
            ticket_timeout_minutes, cred_cache_timeout_minutes ON system_info
            FOR EACH ROW EXECUTE FUNCTION ssovault_bump_own_epoch();
        CREATE TRIGGER system_roles_changed AFTER INSERT OR DELETE ON system_roles
            FOR EACH ROW EXECUTE FUNCTION ssovault_bump_system_epoch();
        CREATE TRIGGER accounts_removed AFTER DELETE ON accounts
            FOR EACH ROW EXECUTE FUNCTION ssovault_bump_system_epoch();
        CREATE TRIGGER group_members_changed AFTER INSERT OR DELETE ON group_members
            FOR EACH ROW EXECUTE FUNCTION ssovault_bump_system_epoch();

        CREATE TRIGGER applications_changed BEFORE UPDATE OF flags, description, contact, ticket_timeout_minutes ON applications
            FOR EACH ROW EXECUTE FUNCTION ssovault_bump_own_epoch();
        CREATE TRIGGER application_accounts_changed AFTER INSERT OR DELETE ON application_accounts
            FOR EACH ROW EXECUTE FUNCTION ssovault_bump_application_epoch();
        CREATE TRIGGER fields_added AFTER INSERT ON fields
            FOR EACH ROW EXECUTE FUNCTION ssovault_bump_application_epoch();
        CREATE TRIGGER mappings_changed AFTER INSERT OR UPDATE OR DELETE ON mappings
            FOR EACH ROW EXECUTE FUNCTION ssovault_bump_application_epoch();
        CREATE TRIGGER credentials_changed AFTER INSERT OR DELETE ON credentials
            FOR EACH ROW EXECUTE FUNCTION ssovault_bump_credential_application_epoch();
        """,
        // 7: data-key rotation, as in SQLite: each value records its data key (every value so far was under key 1), and
        //    gets a stable row id the re-encryption job can page by (SQLite has its rowid).
        """
        ALTER TABLE config_values ADD COLUMN key_id BIGINT NOT NULL DEFAULT 1;
        ALTER TABLE credentials ADD COLUMN key_id BIGINT NOT NULL DEFAULT 1;
        ALTER TABLE config_values ADD COLUMN row_id BIGINT GENERATED ALWAYS AS IDENTITY;
        ALTER TABLE credentials ADD COLUMN row_id BIGINT GENERATED ALWAYS AS IDENTITY;
        CREATE UNIQUE INDEX config_values_row_id ON config_values (row_id);
        CREATE UNIQUE INDEX credentials_row_id ON credentials (row_id);
        CREATE INDEX config_values_by_key ON config_values (key_id);
        CREATE INDEX credentials_by_key ON credentials (key_id);
        ALTER TABLE data_keys ADD COLUMN encryptions BIGINT NOT NULL DEFAULT 0;
        ALTER TABLE data_keys ADD COLUMN retired_ms BIGINT;
        CREATE TABLE reencryption_jobs (
            id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            target_key_id BIGINT NOT NULL,
            started_ms BIGINT NOT NULL,
            updated_ms BIGINT NOT NULL,
            finished_ms BIGINT,
            stage INTEGER NOT NULL,
            cursor BIGINT NOT NULL,
            processed BIGINT NOT NULL,
            skipped BIGINT NOT NULL
        );
        """,
        // 8: node trust, as in SQLite.
        """
        ALTER TABLE nodes ADD COLUMN state TEXT NOT NULL DEFAULT 'approved' CHECK (state IN ('pending', 'approved', 'removed'));
        ALTER TABLE nodes ADD COLUMN identity_key BYTEA;
        ALTER TABLE nodes ADD COLUMN address TEXT;
        ALTER TABLE nodes ADD COLUMN certificate_sha256 TEXT;
        ALTER TABLE nodes ADD COLUMN changed_ms BIGINT;
        """,
        // 9: API keys join the system's change epoch, as in SQLite: revoking (or deleting) a key bumps it.
        """
        CREATE TRIGGER api_keys_changed AFTER UPDATE OR DELETE ON api_keys
            FOR EACH ROW EXECUTE FUNCTION ssovault_bump_system_epoch();
        """,
        // 10: an epoch is bumped once per transaction, not once per row. Readers see only committed states, so one bump
        //     tells them as much as many; and every UPDATE of one row inside a transaction adds a row version that the
        //     next one walks past, so an import of n mappings cost O(n²). The row's xmin is this transaction's id once
        //     it has been bumped (or created) here. (SQLite updates a row in place: its step 10 changes nothing.)
        """
        CREATE OR REPLACE FUNCTION ssovault_bump_system_epoch() RETURNS trigger LANGUAGE plpgsql AS $fn$
        BEGIN
            UPDATE system_info SET change_epoch = change_epoch + 1 WHERE id = 1 AND xmin <> pg_current_xact_id()::xid;
            RETURN NULL;
        END
        $fn$;

        CREATE OR REPLACE FUNCTION ssovault_bump_application_epoch() RETURNS trigger LANGUAGE plpgsql AS $fn$
        DECLARE
            app CITEXT;
        BEGIN
            IF TG_OP = 'DELETE' THEN app := OLD.app_name; ELSE app := NEW.app_name; END IF;
            UPDATE applications SET change_epoch = change_epoch + 1 WHERE name = app AND xmin <> pg_current_xact_id()::xid;
            RETURN NULL;
        END
        $fn$;

        CREATE OR REPLACE FUNCTION ssovault_bump_credential_application_epoch() RETURNS trigger LANGUAGE plpgsql AS $fn$
        DECLARE
            mapping BIGINT;
        BEGIN
            IF TG_OP = 'DELETE' THEN mapping := OLD.mapping_id; ELSE mapping := NEW.mapping_id; END IF;
            UPDATE applications SET change_epoch = change_epoch + 1
            WHERE name = (SELECT app_name FROM mappings WHERE id = mapping) AND xmin <> pg_current_xact_id()::xid;
            RETURN NULL;
        END
        $fn$;
        """,
    ];
}
