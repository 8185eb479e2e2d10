-- Tasks (工作任务), their reports and attachments, and their timers.
-- Units are the directory's (Shared/Directory, migrated before this file).

CREATE TABLE tasks (
    id                  uuid PRIMARY KEY,
    lead_unit_id        text NOT NULL REFERENCES directory.units (id),
    assisting_unit_ids  text[] NOT NULL,
    -- The lead and the assisting units: who may see the task.
    unit_ids            text[] NOT NULL,
    status              text NOT NULL CHECK (status IN ('assigned', 'accepted', 'submitted', 'returned', 'completed')),
    due_date            date NOT NULL,
    overdue             boolean NOT NULL DEFAULT false,
    origin_kind         text NOT NULL,
    -- The source (decision, letter, finding, admitted unit): one task per source.
    origin_reference    text,
    state               jsonb NOT NULL,
    version             integer NOT NULL,
    created_at          timestamptz NOT NULL,
    updated_at          timestamptz NOT NULL
);
CREATE UNIQUE INDEX tasks_origin ON tasks (origin_kind, origin_reference) WHERE origin_reference IS NOT NULL;
CREATE INDEX tasks_units ON tasks USING gin (unit_ids);
CREATE INDEX tasks_due ON tasks (due_date, created_at);

-- The reminders and overdue marks, one row each, fired once: a worker claims
-- due rows with FOR UPDATE SKIP LOCKED, so two processes never fire one
-- twice, and sets fired_at in the transaction that records the event. A
-- task's new due date (a return) replaces its unfired timers.
CREATE TABLE task_timers (
    id                   bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    task_id              uuid NOT NULL REFERENCES tasks (id),
    kind                 text NOT NULL CHECK (kind IN ('reminder', 'overdue')),
    working_days_before  integer NOT NULL,
    due_date             date NOT NULL,
    fire_at              timestamptz NOT NULL,
    fired_at             timestamptz,
    UNIQUE (task_id, kind, working_days_before, due_date)
);
CREATE INDEX task_timers_due ON task_timers (fire_at) WHERE fired_at IS NULL;

CREATE TABLE task_reports (
    id           uuid PRIMARY KEY,
    task_id      uuid NOT NULL REFERENCES tasks (id),
    kind         text NOT NULL CHECK (kind IN ('progress', 'completion')),
    unit_id      text NOT NULL,
    state        jsonb NOT NULL,
    reported_at  timestamptz NOT NULL
);
CREATE INDEX task_reports_task ON task_reports (task_id, reported_at);

-- Files uploaded for a task's reports, kept in the database with their
-- SHA-256; `report_id` is set when a report cites the file.
CREATE TABLE task_attachments (
    id           uuid PRIMARY KEY,
    task_id      uuid NOT NULL REFERENCES tasks (id),
    report_id    uuid REFERENCES task_reports (id),
    unit_id      text,
    file_name    text NOT NULL,
    kind         text NOT NULL,
    media_type   text NOT NULL,
    size         integer NOT NULL,
    sha256       text NOT NULL,
    content      bytea NOT NULL,
    uploaded_by  text NOT NULL,
    uploaded_at  timestamptz NOT NULL
);
CREATE INDEX task_attachments_task ON task_attachments (task_id);
