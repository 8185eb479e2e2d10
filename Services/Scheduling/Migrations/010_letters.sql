-- 督办函 and 协调函 (issue 11, 督办协调制度). A letter is one row holding its
-- whole state (the API's JSON and its events' payload); the columns are what
-- constraints, lookups and the timers need.

CREATE TABLE letters (
    id              uuid PRIMARY KEY,
    kind            text NOT NULL CHECK (kind IN ('supervision', 'coordination')),
    status          text NOT NULL,
    -- Given at issue; unique, so two letters can never share a number.
    number          text UNIQUE,
    origin          text NOT NULL,
    -- The overdue task an automatic draft was prepared for: one per task.
    origin_task_id  text UNIQUE,
    state           jsonb NOT NULL,
    version         integer NOT NULL,
    created_at      timestamptz NOT NULL,
    issued_at       timestamptz,
    updated_at      timestamptz NOT NULL
);
CREATE INDEX letters_status ON letters (status, created_at);

-- Each addressed unit: which letters a unit sees, and which letter an
-- acknowledgement of the notification service is about (the id of the
-- letter.issued event sent for that unit).
CREATE TABLE letter_units (
    letter_id        uuid NOT NULL REFERENCES letters (id),
    unit_id          text NOT NULL,
    issued_event_id  uuid UNIQUE,
    PRIMARY KEY (letter_id, unit_id)
);
CREATE INDEX letter_units_unit ON letter_units (unit_id);

-- Gapless numbering per kind and year: the issuing transaction increments
-- the row and holds its lock until COMMIT, so a rolled-back issue gives its
-- number back and two issues never take the same one (a sequence would
-- leave gaps).
CREATE TABLE letter_number_counters (
    kind  text NOT NULL,
    year  integer NOT NULL,
    last  integer NOT NULL CHECK (last > 0),
    PRIMARY KEY (kind, year)
);

-- The letters' timers, in PostgreSQL so they survive restarts and fire once
-- with several processes running (claimed FOR UPDATE SKIP LOCKED): the
-- reply-due-soon reminder and the overdue escalation of one unit's reply.
CREATE TABLE letter_timers (
    letter_id  uuid NOT NULL REFERENCES letters (id),
    unit_id    text NOT NULL,
    kind       text NOT NULL CHECK (kind IN ('reminder', 'overdue')),
    fire_at    timestamptz NOT NULL,
    fired_at   timestamptz,
    PRIMARY KEY (letter_id, unit_id, kind)
);
CREATE INDEX letter_timers_due ON letter_timers (fire_at) WHERE fired_at IS NULL;

-- Attachments of the units' reports (办理情况): the bytes with their checked
-- type and SHA-256.
CREATE TABLE letter_attachments (
    id          uuid PRIMARY KEY,
    letter_id   uuid NOT NULL REFERENCES letters (id),
    unit_id     text NOT NULL,
    report_id   uuid NOT NULL,
    file_name   text NOT NULL,
    media_type  text NOT NULL,
    size        integer NOT NULL,
    sha256      text NOT NULL,
    content     bytea NOT NULL,
    created_at  timestamptz NOT NULL
);
CREATE INDEX letter_attachments_letter ON letter_attachments (letter_id, unit_id);
