-- The hash-chained audit log, in every service's database (DESIGN.md §4,
-- docs/architecture.md "Audit trail"). Applied by AuditSchema right after
-- EventFlow's tables, recorded in audit_migrations so its version numbers
-- never clash with the service's or EventFlow's.

-- One row per recorded act. `hash` = SHA-256(previous entry's hash ‖ this
-- entry's canonical form); see Shared/Audit/AuditChainHash.swift for the
-- canonical form. `seq` is given by the appender from the chain head (not a
-- sequence), so a rolled-back transaction leaves no gap.
CREATE TABLE audit_log (
    seq            bigint      PRIMARY KEY CHECK (seq >= 1),
    at             timestamptz NOT NULL,
    actor_subject  text        NOT NULL,
    actor_role     text        NOT NULL,
    actor_unit     text,
    action         text        NOT NULL,
    aggregate_type text        NOT NULL,
    aggregate_id   text        NOT NULL,
    -- Hex SHA-256 of the event payload or new state the act produced.
    digest         text        NOT NULL CHECK (digest ~ '^[0-9a-f]{64}$'),
    hash           bytea       NOT NULL CHECK (octet_length(hash) = 32)
);

-- GET /v1/audit and `sjctl audit log` look entries up by aggregate, by actor and by time.
CREATE INDEX audit_log_aggregate ON audit_log (aggregate_id, seq);
CREATE INDEX audit_log_actor ON audit_log (actor_subject, seq);
CREATE INDEX audit_log_at ON audit_log (at);

-- Append-only: entries are never changed or removed. Statement-level, so even
-- an UPDATE or DELETE that matches no row is refused. The table's owner or a
-- superuser can still ALTER TABLE … DISABLE TRIGGER; that is what the chain
-- and the published heads are for (sjctl audit verify).
CREATE FUNCTION audit_log_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit_log is append-only: % is refused', TG_OP
        USING ERRCODE = 'insufficient_privilege',
              HINT = 'audit entries are never changed or removed; record a new entry instead';
END $$;

CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION audit_log_refuse_change();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION audit_log_refuse_change();

-- The chain's head: exactly one row. Appenders lock it FOR UPDATE, so
-- concurrent transactions append one after the other and the chain stays
-- gap-free; a transaction that rolls back leaves the head as it was.
-- `chain_id` names this chain for good: a database replaced by another (or
-- re-created) gets a new id, which the published heads then show.
CREATE TABLE audit_chain (
    singleton  boolean PRIMARY KEY DEFAULT true CHECK (singleton),
    chain_id   uuid    NOT NULL,
    head_seq   bigint  NOT NULL CHECK (head_seq >= 0),
    head_hash  bytea   NOT NULL CHECK (octet_length(head_hash) = 32)
);

INSERT INTO audit_chain (chain_id, head_seq, head_hash)
VALUES (gen_random_uuid(), 0, decode(repeat('00', 32), 'hex'));

-- The head only moves forward and the chain keeps its id; the row is never
-- removed. (Like audit_log, a superuser can disable this; verify still
-- compares the head with the entries.)
CREATE FUNCTION audit_chain_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP <> 'UPDATE' THEN
        RAISE EXCEPTION 'audit_chain keeps its one row: % is refused', TG_OP
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF NEW.chain_id <> OLD.chain_id OR NEW.head_seq < OLD.head_seq THEN
        RAISE EXCEPTION 'audit_chain head only moves forward (from % to %) and keeps its chain id',
            OLD.head_seq, NEW.head_seq
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN NEW;
END $$;

CREATE TRIGGER audit_chain_forward_only BEFORE UPDATE OR DELETE ON audit_chain
    FOR EACH ROW EXECUTE FUNCTION audit_chain_guard();
CREATE TRIGGER audit_chain_no_truncate BEFORE TRUNCATE ON audit_chain
    FOR EACH STATEMENT EXECUTE FUNCTION audit_chain_guard();
