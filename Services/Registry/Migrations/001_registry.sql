-- The registry's state. Each aggregate is one row: the columns that
-- constraints, lookups and searches need, and `state`, the whole aggregate
-- as its events carry it (the API's JSON). `version` counts its changes.

CREATE TABLE units (
    id         text PRIMARY KEY,
    name       text NOT NULL UNIQUE,
    state      jsonb NOT NULL,
    version    integer NOT NULL,
    updated_at timestamptz NOT NULL
);
-- The duty matrix: "which units answer for topic X" is a containment query.
CREATE INDEX units_duties ON units USING gin ((state -> 'duties') jsonb_path_ops);

-- Another unit's name or alias may not be reused.
CREATE TABLE unit_names (
    name    text PRIMARY KEY,
    unit_id text NOT NULL REFERENCES units (id)
);

CREATE TABLE people (
    id         uuid PRIMARY KEY,
    unit_id    text REFERENCES units (id),
    name       text NOT NULL,
    roles      text[] NOT NULL,
    state      jsonb NOT NULL,
    version    integer NOT NULL,
    updated_at timestamptz NOT NULL
);
CREATE INDEX people_unit ON people (unit_id);

CREATE TABLE positions (
    id    text PRIMARY KEY,
    state jsonb NOT NULL
);

CREATE TABLE membership_proposals (
    id         uuid PRIMARY KEY,
    unit_name  text NOT NULL,
    status     text NOT NULL,
    state      jsonb NOT NULL,
    version    integer NOT NULL,
    created_at timestamptz NOT NULL
);

CREATE TABLE institutions (
    id           uuid PRIMARY KEY,
    credit_code  char(18) NOT NULL UNIQUE,
    name         text NOT NULL,
    category     text NOT NULL,
    status       text NOT NULL,
    whitelisted  boolean NOT NULL,
    blacklisted  boolean NOT NULL,
    state        jsonb NOT NULL,
    version      integer NOT NULL,
    registered_at timestamptz NOT NULL
);
CREATE INDEX institutions_search ON institutions (category, status);
CREATE INDEX institutions_name ON institutions (name text_pattern_ops);

-- Every status change, with who, when and why.
CREATE TABLE institution_status_history (
    institution_id uuid NOT NULL REFERENCES institutions (id),
    status         text NOT NULL,
    reason         text NOT NULL,
    changed_by     text NOT NULL,
    changed_at     timestamptz NOT NULL
);
CREATE INDEX institution_status_history_id ON institution_status_history (institution_id, changed_at);
