-- EventFlow's tables, in every service's database (DESIGN.md §4).
-- Applied by EventFlowSchema before the service's own migrations, recorded in
-- eventflow_migrations so its version numbers never clash with the service's.

-- Events written in the same transaction as the state change they describe.
-- Column names follow Debezium's outbox router, so a CDC relay could replace ours.
CREATE TABLE outbox (
    seq           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    id            uuid        NOT NULL UNIQUE,
    aggregatetype text        NOT NULL,
    aggregateid   text        NOT NULL,
    topic         text        NOT NULL,
    type          text        NOT NULL,
    subject       text,
    payload       jsonb       NOT NULL,
    headers       jsonb       NOT NULL DEFAULT '{}'::jsonb,
    occurred_at   timestamptz NOT NULL DEFAULT now(),
    published_at  timestamptz,
    attempts      integer     NOT NULL DEFAULT 0,
    last_error    text
);

-- The relay reads only what is not yet published, in seq order.
CREATE INDEX outbox_unpublished ON outbox (seq) WHERE published_at IS NULL;
-- Published rows are pruned after a retention period.
CREATE INDEX outbox_published_at ON outbox (published_at) WHERE published_at IS NOT NULL;

-- Wakes the relay when a transaction that wrote outbox rows commits
-- (NOTIFY is delivered at commit, once per transaction and channel).
CREATE FUNCTION eventflow_outbox_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('eventflow_outbox', '');
    RETURN NULL;
END $$;

CREATE TRIGGER outbox_notify AFTER INSERT ON outbox
    FOR EACH STATEMENT EXECUTE FUNCTION eventflow_outbox_notify();

-- Events a consumer has handled: a second delivery of the same (source, id)
-- conflicts and is skipped. `outcome` says whether a handler applied it or
-- no handler knew its type.
CREATE TABLE inbox (
    consumer    text        NOT NULL,
    source      text        NOT NULL,
    id          text        NOT NULL,
    type        text        NOT NULL,
    topic       text        NOT NULL,
    kafka_partition integer NOT NULL,
    kafka_offset bigint     NOT NULL,
    outcome     text        NOT NULL CHECK (outcome IN ('applied', 'unknown-type')),
    handled_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (consumer, source, id)
);

CREATE INDEX inbox_handled_at ON inbox (handled_at);
