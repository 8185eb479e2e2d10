-- The inspection service's state: county signals, warnings, and its read
-- model of the registry's institutions.

-- Every county signal applied, once: (source, event_id) is the CloudEvent's
-- (ce_source, ce_id), whichever way it came (Kafka or POST /v1/signals).
CREATE TABLE signals (
    id          uuid PRIMARY KEY,
    source      text NOT NULL,
    event_id    text NOT NULL,
    kind        text NOT NULL,
    severity    text NOT NULL,
    subject_key text NOT NULL,
    occurred_at timestamptz NOT NULL,
    received_at timestamptz NOT NULL,
    via         text NOT NULL CHECK (via IN ('kafka', 'http')),
    state       jsonb NOT NULL,
    UNIQUE (source, event_id)
);
-- The sliding window of one subject.
CREATE INDEX signals_subject_time ON signals (subject_key, occurred_at);
CREATE INDEX signals_received ON signals (received_at);

CREATE TABLE warnings (
    id          uuid PRIMARY KEY,
    subject_key text NOT NULL,
    level       text NOT NULL CHECK (level IN ('blue', 'yellow', 'orange', 'red')),
    status      text NOT NULL CHECK (status IN ('raised', 'confirmed', 'circulated', 'closed')),
    raised_at   timestamptz NOT NULL,
    closed_at   timestamptz,
    state       jsonb NOT NULL,
    version     integer NOT NULL
);
-- One open warning per subject: a later signal escalates it.
CREATE UNIQUE INDEX warnings_open_subject ON warnings (subject_key) WHERE status <> 'closed';
CREATE INDEX warnings_subject_closed ON warnings (subject_key, closed_at);
CREATE INDEX warnings_raised ON warnings (raised_at);

-- Read model of the registry's institutions, from its events; `version` is
-- the registry's: an older state never overwrites a newer one. (Units, the
-- duty matrix and people: the shared directory, schema `directory`.)
CREATE TABLE registry_institutions (
    id          uuid PRIMARY KEY,
    credit_code text NOT NULL,
    name        text NOT NULL,
    state       jsonb NOT NULL,
    version     integer NOT NULL
);
CREATE INDEX registry_institutions_code ON registry_institutions (credit_code);
CREATE INDEX registry_institutions_name ON registry_institutions (name);
