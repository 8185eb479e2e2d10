-- Creating POSTs that carried an Idempotency-Key (DESIGN.md §5), in every
-- service: the first one's response is stored in the same transaction as
-- its effect and its outbox rows, and replayed to repeats.
CREATE TABLE idempotency_keys (
    subject      text NOT NULL,
    key          text NOT NULL,
    request_hash text NOT NULL,
    status       integer NOT NULL,
    body         text NOT NULL,
    created_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (subject, key)
);
