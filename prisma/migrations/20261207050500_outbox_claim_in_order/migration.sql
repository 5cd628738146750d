-- The outbox claim (app/mail/sql.server.ts), as a function so that it can carry its own
-- planner setting.
--
-- The claim took due messages in one scan with an OR (pending and due, or sending with an
-- expired lease), which no index returns in order: every claim read every waiting message and
-- sorted them to take the first batch. With 10,000 waiting on the embedded database that was
-- 22 ms a claim (2.5 s to claim them all, 100 at a time), and it grows with the backlog, which
-- is when speed matters (draining after an outage). Two scans, one per condition, each in
-- the order of the (status, nextAttemptAt) index, stop after one batch: 6 ms a claim.
--
-- The planner still prefers reading the whole backlog through a bitmap when it expects few
-- rows, which the embedded database (never analysed until its housekeeping job runs, and a
-- fresh outbox after any vacuum) always does; `enable_bitmapscan = off` for the claim alone
-- leaves it the ordered index scans. Rows locked by one branch and not taken are released
-- when the statement ends, like every lock the claim takes (it runs alone, outside any
-- transaction).
CREATE FUNCTION springboard_claim_emails(batch int, lease_ms int, claim_token text)
RETURNS TABLE (
  id text, "toEmail" text, "toUserId" text, essential boolean, subject text, text text, html text,
  "messageId" text, attempts int, template text, "requestId" text
)
LANGUAGE sql VOLATILE
SET enable_bitmapscan = off
AS $$
  WITH due AS (
    SELECT d.id, d."nextAttemptAt" FROM "Notification" d
    WHERE d.status = 'pending' AND d."nextAttemptAt" <= (now() AT TIME ZONE 'UTC')
    ORDER BY d."nextAttemptAt"
    LIMIT $1
    FOR UPDATE SKIP LOCKED
  ), expired AS (
    SELECT e.id, e."nextAttemptAt" FROM "Notification" e
    WHERE e.status = 'sending' AND e."lockedUntil" < (now() AT TIME ZONE 'UTC')
    ORDER BY e."nextAttemptAt"
    LIMIT $1
    FOR UPDATE SKIP LOCKED
  ), chosen AS (
    SELECT c.id FROM (SELECT * FROM due UNION ALL SELECT * FROM expired) c
    ORDER BY c."nextAttemptAt"
    LIMIT $1
  )
  UPDATE "Notification" n SET status = 'sending', attempts = n.attempts + 1,
    "lockedUntil" = (now() AT TIME ZONE 'UTC') + ($2 * interval '1 millisecond'),
    "claimToken" = $3
  FROM chosen
  WHERE n.id = chosen.id
  RETURNING n.id, n."toEmail", n."toUserId", n.essential, n.subject, n.text, n.html, n."messageId", n.attempts, n.template, n."requestId"
$$;
