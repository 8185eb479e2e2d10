-- Joint inspections (联合指导检查, 通知 三(三)): campaigns with their working
-- groups, the random draws (双随机) as recorded, inspections with their
-- checklists, and the findings that need rectification.

CREATE TABLE campaigns (
    id          uuid PRIMARY KEY,
    status      text NOT NULL CHECK (status IN ('open', 'closed')),
    opened_at   timestamptz NOT NULL,
    state       jsonb NOT NULL,
    version     integer NOT NULL
);
CREATE INDEX campaigns_opened ON campaigns (opened_at);

-- A draw is written once and never changed: its record is what verify re-runs.
CREATE TABLE campaign_draws (
    id          uuid PRIMARY KEY,
    campaign_id uuid NOT NULL REFERENCES campaigns (id),
    drawn_at    timestamptz NOT NULL,
    state       jsonb NOT NULL
);
CREATE INDEX campaign_draws_campaign ON campaign_draws (campaign_id, drawn_at);

CREATE TABLE inspections (
    id             uuid PRIMARY KEY,
    campaign_id    uuid NOT NULL REFERENCES campaigns (id),
    -- The inspected unit, or the institution (as `institution:<id>`).
    subject_key    text NOT NULL,
    unit_id        text,
    status         text NOT NULL CHECK (status IN ('assigned', 'submitted')),
    inspector_ids  uuid[] NOT NULL,
    assigned_at    timestamptz NOT NULL,
    state          jsonb NOT NULL,
    version        integer NOT NULL,
    -- A subject is inspected once per campaign.
    UNIQUE (campaign_id, subject_key)
);
CREATE INDEX inspections_unit ON inspections (unit_id);
CREATE INDEX inspections_inspectors ON inspections USING gin (inspector_ids);

CREATE TABLE findings (
    id             uuid PRIMARY KEY,
    campaign_id    uuid NOT NULL REFERENCES campaigns (id),
    inspection_id  uuid NOT NULL REFERENCES inspections (id),
    unit_id        text NOT NULL,
    status         text NOT NULL CHECK (status IN ('open', 'rectifying', 'awaiting-recheck', 'closed')),
    -- The current round's `<finding id>/<round>`: the scheduling service's
    -- task events name it as their origin reference.
    rectification_id text,
    raised_at      timestamptz NOT NULL,
    state          jsonb NOT NULL,
    version        integer NOT NULL
);
CREATE INDEX findings_campaign ON findings (campaign_id);
CREATE INDEX findings_unit ON findings (unit_id, raised_at);
CREATE UNIQUE INDEX findings_rectification ON findings (rectification_id);
