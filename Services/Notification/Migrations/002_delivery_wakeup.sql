-- Wakes the delivery worker (NOTIFY notification_deliveries) when there is
-- something to send: new deliveries, and deliveries put back in the queue
-- (a dead one re-queued by an operator, or one made due earlier). The worker
-- also polls every second, so a lost notification only delays, never loses.

CREATE FUNCTION notify_notification_deliveries() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    -- Identical notifications within a transaction are delivered once.
    PERFORM pg_notify('notification_deliveries', '');
    RETURN NULL;
END;
$$;

-- Once per statement: a batch of inserts wakes the worker once.
CREATE TRIGGER deliveries_inserted
    AFTER INSERT ON deliveries
    FOR EACH STATEMENT EXECUTE FUNCTION notify_notification_deliveries();

-- Only re-queues: the worker's own updates (a lease, a later retry) never
-- make a delivery due sooner, so they do not fire it.
CREATE TRIGGER deliveries_requeued
    AFTER UPDATE OF state, next_attempt_at ON deliveries
    FOR EACH ROW
    WHEN (NEW.state IN ('pending', 'failed')
          AND (OLD.state NOT IN ('pending', 'failed') OR NEW.next_attempt_at < OLD.next_attempt_at))
    EXECUTE FUNCTION notify_notification_deliveries();
