-- Evidence files (佐证材料) of inspections' checklist items: the bytes with
-- their description. The inspection's state carries the descriptions too
-- (each item's `evidence`, written in the same transaction), so its events
-- tell consumers of every file without its bytes.

CREATE TABLE inspection_evidence (
    id             uuid PRIMARY KEY,
    inspection_id  uuid NOT NULL REFERENCES inspections (id),
    item_id        text NOT NULL,
    file_name      text NOT NULL,
    kind           text NOT NULL,
    media_type     text NOT NULL,
    size           integer NOT NULL CHECK (size > 0),
    sha256         text NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
    content        bytea NOT NULL,
    uploaded_by    text NOT NULL,
    uploaded_at    timestamptz NOT NULL
);
CREATE INDEX inspection_evidence_inspection ON inspection_evidence (inspection_id, item_id, uploaded_at);
