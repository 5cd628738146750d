-- CreateTable
CREATE TABLE "AuditEvent" (
    "seq" BIGSERIAL NOT NULL,
    "txid" BIGINT NOT NULL DEFAULT ((pg_current_xact_id())::text)::bigint,
    "at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "tableName" TEXT NOT NULL,
    "operation" TEXT NOT NULL,
    "rowId" TEXT,
    "before" JSONB,
    "after" JSONB,
    "chainPos" BIGINT,
    "prevHash" TEXT,
    "hash" TEXT,

    CONSTRAINT "AuditEvent_pkey" PRIMARY KEY ("seq")
);

-- CreateTable
CREATE TABLE "AuditSeal" (
    "id" INTEGER NOT NULL,
    "lastPos" BIGINT NOT NULL,
    "lastHash" TEXT NOT NULL,

    CONSTRAINT "AuditSeal_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "AuditEvent_chainPos_key" ON "AuditEvent"("chainPos");

-- Audit triggers (not expressible in schema.prisma; the drift check ignores functions and
-- triggers). Every insert, update and delete on a business table appends one AuditEvent row
-- in the same transaction as the change, whichever code made it.
CREATE FUNCTION springboard_audit() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO "AuditEvent" ("tableName", "operation", "rowId", "before", "after")
  VALUES (
    TG_TABLE_NAME,
    TG_OP,
    COALESCE(to_jsonb(NEW), to_jsonb(OLD)) ->> 'id',
    CASE WHEN TG_OP = 'INSERT' THEN NULL ELSE to_jsonb(OLD) END,
    CASE WHEN TG_OP = 'DELETE' THEN NULL ELSE to_jsonb(NEW) END
  );
  RETURN NULL;
END
$$;

DO $$
DECLARE
  audited text[] := ARRAY[
    'Organisation', 'User', 'Fund', 'Round', 'RoundAssessor', 'Bid', 'BidPartner', 'BidDocument',
    'Assessment', 'ConsensusScore', 'FundingLineAdjustment', 'Project', 'ProjectTranche',
    'Milestone', 'Metric', 'MetricActual', 'ProjectDocument', 'SpendReport', 'Adoption',
    'CaseStudy', 'TransitionHistory', 'RegisterImport'
  ];
  t text;
BEGIN
  FOREACH t IN ARRAY audited LOOP
    EXECUTE format(
      'CREATE TRIGGER %I AFTER INSERT OR UPDATE OR DELETE ON %I FOR EACH ROW EXECUTE FUNCTION springboard_audit()',
      t || '_audit', t
    );
  END LOOP;
END
$$;
