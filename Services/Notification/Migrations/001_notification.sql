-- The notification service's state.

-- Directory: the registry's units and people as its events carry them
-- (read model; rebuilt from the registry topics). `version` is the
-- registry's: an older state never overwrites a newer one.
CREATE TABLE directory_units (
    id          text PRIMARY KEY,
    name        text NOT NULL,
    member_id   uuid,
    liaison_id  uuid,
    topics      text[] NOT NULL,
    state       jsonb NOT NULL,
    version     integer NOT NULL
);

CREATE TABLE directory_people (
    id       uuid PRIMARY KEY,
    unit_id  text,
    name     text NOT NULL,
    roles    text[] NOT NULL,
    state    jsonb NOT NULL,
    version  integer NOT NULL
);
CREATE INDEX directory_people_unit ON directory_people (unit_id);

-- Where a person's or a unit's alerts go besides the in-app inbox.
-- `secret` is sealed (AES-GCM with SJ_NOTIFICATION_SECRET_KEY) and never
-- leaves the service.
CREATE TABLE channel_configs (
    id          uuid PRIMARY KEY,
    owner_kind  text NOT NULL CHECK (owner_kind IN ('person', 'unit')),
    owner_id    text NOT NULL,
    channel     text NOT NULL CHECK (channel IN ('webhook', 'dingtalk', 'wecom', 'sms')),
    endpoint    text NOT NULL,
    secret      bytea,
    enabled     boolean NOT NULL DEFAULT true,
    created_at  timestamptz NOT NULL,
    updated_at  timestamptz NOT NULL,
    UNIQUE (owner_kind, owner_id, channel)
);

-- One notification per event and recipient: a re-delivered event finds it.
CREATE TABLE notifications (
    id              uuid PRIMARY KEY,
    event_id        text NOT NULL,
    event_type      text NOT NULL,
    recipient_id    uuid NOT NULL,
    unit_id         text,
    class           text NOT NULL CHECK (class IN ('info', 'letter', 'warning')),
    title           text NOT NULL,
    body            text NOT NULL,
    created_at      timestamptz NOT NULL,
    read_at         timestamptz,
    acknowledged_at timestamptz,
    acknowledged_by text,
    escalate_at     timestamptz,
    escalated_at    timestamptz,
    escalated_from  uuid REFERENCES notifications (id),
    UNIQUE (event_id, recipient_id)
);
CREATE INDEX notifications_inbox ON notifications (recipient_id, created_at DESC);
CREATE INDEX notifications_escalation ON notifications (escalate_at)
    WHERE escalate_at IS NOT NULL AND acknowledged_at IS NULL AND escalated_at IS NULL;

-- One delivery per notification and channel; its idempotency key is derived
-- from (event id, recipient, channel), so a retry is recognisable downstream.
CREATE TABLE deliveries (
    id               uuid PRIMARY KEY,
    notification_id  uuid NOT NULL REFERENCES notifications (id),
    channel          text NOT NULL,
    config_id        uuid REFERENCES channel_configs (id),
    idempotency_key  text NOT NULL UNIQUE,
    state            text NOT NULL CHECK (state IN ('pending', 'sent', 'failed', 'dead')),
    attempts         integer NOT NULL DEFAULT 0,
    next_attempt_at  timestamptz NOT NULL,
    lease_until      timestamptz,
    last_error       text,
    sent_at          timestamptz,
    created_at       timestamptz NOT NULL,
    UNIQUE (notification_id, channel)
);
CREATE INDEX deliveries_due ON deliveries (next_attempt_at) WHERE state IN ('pending', 'failed');

CREATE TABLE delivery_attempts (
    delivery_id  uuid NOT NULL REFERENCES deliveries (id),
    attempt      integer NOT NULL,
    at           timestamptz NOT NULL,
    status_code  integer,
    error        text,
    duration_ms  integer NOT NULL,
    PRIMARY KEY (delivery_id, attempt)
);

-- Sends per endpoint and minute, for the per-endpoint rate limit.
CREATE TABLE endpoint_windows (
    endpoint  text NOT NULL,
    minute    timestamptz NOT NULL,
    sent      integer NOT NULL,
    PRIMARY KEY (endpoint, minute)
);
