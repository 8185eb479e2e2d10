-- What the scheduling service learns of the inspection service's findings
-- (shuangjian.inspection.inspections): each finding's latest state as its
-- events carried it, so `finding.closed` is noted (the office still accepts
-- the rectification task; nothing of the task changes) and an event older
-- than the one applied is recognised. Never written back to the inspection
-- service: this is this service's own read model.
CREATE TABLE inspection_findings (
    id                uuid PRIMARY KEY,
    unit_id           text NOT NULL,
    status            text NOT NULL,
    -- The current round's `<finding id>/<round>` (the task's origin reference), if any.
    rectification_id  text,
    version           integer NOT NULL,
    closed_at         timestamptz,
    updated_at        timestamptz NOT NULL
);
