/// The tables of a plaint log in PostgreSQL, in the schema `plaint`:
///
/// - `plaint.events`: one row per event, by gapless `position`; `id` unique for ever; the case's
///   `version`; the RFC 8785 `canonical` bytes and the chain `hash`, exactly as in an LMDB store.
///   Rows are never updated or deleted: triggers refuse UPDATE, DELETE and TRUNCATE.
/// - `plaint.head`: one row, the last position and hash. Each append locks it (`FOR UPDATE`)
///   for its transaction, so positions are assigned in commit order without gaps, whichever
///   host the writers are on; a sequence would leave gaps on rollback and could commit out of
///   order.
/// - `plaint.schema_version`: the layout's version, checked by every command.
enum PostgresSchema {
    static let version = 1

    /// Creates the tables when missing, in one transaction under an advisory lock, so that
    /// concurrent first appends create them once.
    static let creation: [String] = [
        "SELECT pg_advisory_xact_lock(7340623)",
        "CREATE SCHEMA IF NOT EXISTS plaint",
        """
        CREATE TABLE IF NOT EXISTS plaint.schema_version (
            version integer NOT NULL
        )
        """,
        """
        INSERT INTO plaint.schema_version (version)
        SELECT \(version) WHERE NOT EXISTS (SELECT 1 FROM plaint.schema_version)
        """,
        """
        CREATE TABLE IF NOT EXISTS plaint.events (
            position bigint PRIMARY KEY CHECK (position > 0),
            id text NOT NULL UNIQUE,
            case_id text,
            version bigint,
            type text NOT NULL,
            customer text NOT NULL,
            brand text NOT NULL,
            occurred_at bigint NOT NULL,
            recorded_at bigint NOT NULL,
            canonical bytea NOT NULL,
            hash bytea NOT NULL CHECK (length(hash) = 32)
        )
        """,
        "CREATE INDEX IF NOT EXISTS events_case_version ON plaint.events (case_id, version)",
        """
        CREATE TABLE IF NOT EXISTS plaint.head (
            singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
            position bigint NOT NULL,
            hash bytea NOT NULL,
            recorded_at bigint NOT NULL
        )
        """,
        """
        INSERT INTO plaint.head (singleton, position, hash, recorded_at)
        VALUES (true, 0, '\\x0000000000000000000000000000000000000000000000000000000000000000', 0)
        ON CONFLICT DO NOTHING
        """,
        """
        CREATE OR REPLACE FUNCTION plaint.refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            RAISE EXCEPTION 'plaint events are immutable: % is refused', TG_OP;
        END $$
        """,
        """
        DO $$ BEGIN
            IF NOT EXISTS (SELECT 1 FROM pg_trigger WHERE tgname = 'events_immutable') THEN
                CREATE TRIGGER events_immutable BEFORE UPDATE OR DELETE ON plaint.events
                    FOR EACH ROW EXECUTE FUNCTION plaint.refuse_change();
                CREATE TRIGGER events_not_truncated BEFORE TRUNCATE ON plaint.events
                    FOR EACH STATEMENT EXECUTE FUNCTION plaint.refuse_change();
            END IF;
        END $$
        """,
    ]
}
