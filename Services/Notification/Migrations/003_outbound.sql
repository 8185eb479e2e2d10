-- Outbound calls made safe (docs/operations.md, "Notification"):
--
-- * a person's or unit's channels are tried in order: `priority`, lowest
--   first (Domain/ChannelOrder.swift);
-- * a notification gets one delivery at a time; when it is dead the next
--   channel gets a new delivery with the same idempotency key
--   (`<event id>:<person id>`), so the key is no longer unique by itself —
--   (notification, channel) still is;
-- * a fallback delivery names the dead one and why it died, and the attempt
--   that made it dead names the fallback.
--
-- `channel_configs.secret` is now sealed in the keyed, owner-bound format
-- (Shared/ChannelSecrets/SealedSecret.swift). Nothing was deployed in the
-- old format, so no conversion is needed here.

ALTER TABLE channel_configs
    ADD COLUMN priority integer NOT NULL DEFAULT 100 CHECK (priority BETWEEN 0 AND 1000);

ALTER TABLE deliveries DROP CONSTRAINT deliveries_idempotency_key_key;
CREATE INDEX deliveries_idempotency_key ON deliveries (idempotency_key);

ALTER TABLE deliveries
    ADD COLUMN fallback_from uuid REFERENCES deliveries (id),
    ADD COLUMN fallback_reason text;

ALTER TABLE delivery_attempts
    ADD COLUMN fallback_delivery_id uuid REFERENCES deliveries (id);
