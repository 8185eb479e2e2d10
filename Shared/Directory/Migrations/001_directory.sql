-- The shared directory (Shared/Directory): the registry's member units, their
-- duty matrix and the mechanism's people, as a consuming service learns them
-- from shuangjian.registry.units and shuangjian.registry.people. Every table
-- lives in the `directory` schema, so the module never collides with a
-- service's own tables (the notification service's older `directory_*`
-- tables included) and its history (directory.schema_migrations) is its own.
--
-- A row is replaced only by a strictly newer registry `version`: a replayed
-- or late event never rolls it back.

CREATE TABLE units (
    id          text PRIMARY KEY,
    name        text NOT NULL,
    -- active, or removed (the unit left the mechanism; kept, since tasks and
    -- letters already name it).
    status      text NOT NULL CHECK (status IN ('active', 'removed')),
    member_id   uuid,
    liaison_id  uuid,
    -- The union of the unit's duties' topics, for "who works on X".
    topics      text[] NOT NULL,
    version     integer NOT NULL,
    -- The order the directory first learned the unit: the registry publishes
    -- the seeded units in the notice's order, so lists read as the notice does.
    ordinal     bigint GENERATED ALWAYS AS IDENTITY,
    updated_at  timestamptz NOT NULL
);
CREATE UNIQUE INDEX units_ordinal ON units (ordinal);
CREATE INDEX units_topics ON units USING gin (topics);

-- One item of a unit's 职责分工 (通知 二(二)), replaced with its unit.
CREATE TABLE duties (
    unit_id           text NOT NULL REFERENCES units (id) ON DELETE CASCADE,
    -- `<unit id>/<n>`, as the registry numbers them.
    id                text NOT NULL,
    position          integer NOT NULL,
    -- The sentence of the notice the item is.
    text              text NOT NULL,
    topics            text[] NOT NULL,
    role              text NOT NULL,
    partner_unit_ids  text[] NOT NULL,
    source_duty_id    text,
    PRIMARY KEY (unit_id, id)
);
CREATE INDEX duties_topics ON duties USING gin (topics);

CREATE TABLE people (
    id          uuid PRIMARY KEY,
    unit_id     text,
    name        text NOT NULL,
    title       text,
    roles       text[] NOT NULL,
    version     integer NOT NULL,
    updated_at  timestamptz NOT NULL
);
CREATE INDEX people_unit ON people (unit_id);
CREATE INDEX people_roles ON people USING gin (roles);
