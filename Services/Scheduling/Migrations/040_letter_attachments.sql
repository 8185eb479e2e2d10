-- The units' 办理情况 carry files as task reports do: a file is uploaded
-- first (checked by its content, SHA-256 recorded), then a report cites it,
-- so `report_id` is empty until then. Nothing wrote this table before.
ALTER TABLE letter_attachments ALTER COLUMN report_id DROP NOT NULL;
ALTER TABLE letter_attachments ADD COLUMN kind text NOT NULL;
ALTER TABLE letter_attachments ADD COLUMN uploaded_by text NOT NULL;
ALTER TABLE letter_attachments RENAME COLUMN created_at TO uploaded_at;
