-- 会议决策制度: series, sittings, ad hoc requests, minutes numbers, calendar
-- feeds and the cadence watch. Each aggregate is one row: the columns that
-- constraints and lookups need, and `state`, the whole aggregate as its
-- events carry it (the API's JSON). `version` counts its changes.

-- One series per kind (plenary, liaison).
CREATE TABLE meeting_series (
    kind       text PRIMARY KEY,
    state      jsonb NOT NULL,
    version    integer NOT NULL,
    updated_at timestamptz NOT NULL
);

CREATE TABLE meetings (
    id         uuid PRIMARY KEY,
    kind       text NOT NULL,
    status     text NOT NULL,
    starts_at  timestamptz NOT NULL,
    state      jsonb NOT NULL,
    version    integer NOT NULL,
    updated_at timestamptz NOT NULL
);
CREATE INDEX meetings_kind_status ON meetings (kind, status, starts_at);
-- "The sittings unit X is expected at" (a unit's list, its calendar feed) is a containment query.
CREATE INDEX meetings_attendance ON meetings USING gin ((state -> 'attendance') jsonb_path_ops);

CREATE TABLE ad_hoc_requests (
    id         uuid PRIMARY KEY,
    status     text NOT NULL,
    state      jsonb NOT NULL,
    version    integer NOT NULL,
    updated_at timestamptz NOT NULL
);

-- Minutes are numbered per year without gaps: the row is locked by the
-- publishing transaction, so a rolled-back publication gives its number back.
CREATE TABLE minutes_numbers (
    year integer PRIMARY KEY,
    last integer NOT NULL
);
CREATE UNIQUE INDEX meetings_minutes_number ON meetings ((state -> 'minutes' ->> 'number'))
    WHERE state -> 'minutes' IS NOT NULL;

-- A calendar feed per unit or person. Calendar clients cannot send bearer
-- tokens, so a feed is read with an unguessable token in its URL; only the
-- token's SHA-256 is kept, and the owner replaces it (rotation) to cut off
-- every old subscription at once.
CREATE TABLE calendar_feeds (
    owner_kind   text NOT NULL CHECK (owner_kind IN ('unit', 'person')),
    owner_id     text NOT NULL,
    token_sha256 bytea NOT NULL UNIQUE,
    rotated_at   timestamptz NOT NULL,
    rotated_by   text NOT NULL,
    PRIMARY KEY (owner_kind, owner_id)
);

-- The cadence watch: one alert per kind and due day and state, ever, even
-- with two scheduling processes watching.
CREATE TABLE meeting_cadence_alerts (
    kind       text NOT NULL,
    due_by     date NOT NULL,
    state      text NOT NULL,
    alerted_at timestamptz NOT NULL,
    PRIMARY KEY (kind, due_by, state)
);
