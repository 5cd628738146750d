-- Every email's row is written three times (queued, claimed, sent), and each write of a row
-- whose indexed columns change adds an entry to every index on the table. The outbox had six;
-- on the embedded database, where the writes run on the same thread as the SMTP
-- conversations, that was most of the delivery loop's own cost (docs/performance.md).
--
-- The claim's index holds only the rows it looks for: waiting and being sent. A sent, failed
-- or held email leaves it, and writing one adds nothing to it. Partial, so written here:
-- prisma/schema.prisma cannot say so (the schema-drift test leaves such indexes alone).
DROP INDEX "Notification_status_nextAttemptAt_idx";
CREATE INDEX "Notification_waiting_idx" ON "Notification" (status, "nextAttemptAt") WHERE status IN ('pending', 'sending');

-- The daily digest reads held emails by person; no other read goes by person and status.
DROP INDEX "Notification_toUserId_status_idx";
CREATE INDEX "Notification_held_idx" ON "Notification" ("toUserId") WHERE status = 'held';

-- The delivery log filters by address with "contains", which no B-tree on the address can
-- answer, and by template newest first; it always lists newest first, which no index served.
-- One index in its order serves the list, and the template filter reads it in that order.
DROP INDEX "Notification_toEmail_createdAt_idx";
DROP INDEX "Notification_template_createdAt_idx";
CREATE INDEX "Notification_createdAt_id_idx" ON "Notification" ("createdAt", id);

-- The bodies are kept out of line and uncompressed: a claim or a mark then copies a row of a
-- few hundred bytes instead of the compressed bodies (about 3 KB before compression), and
-- queuing an email does not compress it. The cost is disk: about 3 KB an email.
ALTER TABLE "Notification" ALTER COLUMN html SET STORAGE EXTERNAL;
ALTER TABLE "Notification" ALTER COLUMN text SET STORAGE EXTERNAL;
