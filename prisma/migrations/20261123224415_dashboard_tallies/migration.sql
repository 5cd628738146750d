-- AlterTable
ALTER TABLE "BidScore" ADD COLUMN     "flagged" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "flagsOpen" INTEGER NOT NULL DEFAULT 0;

-- CreateTable
CREATE TABLE "RoundBidTally" (
    "roundId" TEXT NOT NULL,
    "state" TEXT NOT NULL,
    "slot" INTEGER NOT NULL,
    "bids" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "RoundBidTally_pkey" PRIMARY KEY ("roundId","state","slot")
);

-- CreateTable
CREATE TABLE "AssessmentTally" (
    "roundId" TEXT NOT NULL,
    "assessorUserId" TEXT NOT NULL,
    "state" TEXT NOT NULL,
    "conflict" BOOLEAN NOT NULL,
    "dueKey" TEXT NOT NULL,
    "dueAt" TIMESTAMP(3),
    "assessments" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "AssessmentTally_pkey" PRIMARY KEY ("roundId","assessorUserId","state","conflict","dueKey")
);

-- CreateTable
CREATE TABLE "ProjectFigures" (
    "projectId" TEXT NOT NULL,
    "roundId" TEXT NOT NULL,
    "leadOrganisationId" TEXT NOT NULL,
    "reference" TEXT NOT NULL,
    "state" TEXT NOT NULL,
    "stageOrder" INTEGER NOT NULL,
    "active" BOOLEAN NOT NULL,
    "nextGateDueOn" DATE,
    "committedPence" BIGINT NOT NULL DEFAULT 0,
    "spentPence" BIGINT NOT NULL DEFAULT 0,

    CONSTRAINT "ProjectFigures_pkey" PRIMARY KEY ("projectId")
);

-- CreateTable
CREATE TABLE "ProjectTally" (
    "roundId" TEXT NOT NULL,
    "leadOrganisationId" TEXT NOT NULL,
    "state" TEXT NOT NULL,
    "projects" INTEGER NOT NULL DEFAULT 0,
    "committedPence" BIGINT NOT NULL DEFAULT 0,
    "spentPence" BIGINT NOT NULL DEFAULT 0,

    CONSTRAINT "ProjectTally_pkey" PRIMARY KEY ("roundId","leadOrganisationId","state")
);

-- CreateTable
CREATE TABLE "OpenCondition" (
    "projectId" TEXT NOT NULL,
    "conditionId" TEXT NOT NULL,
    "text" TEXT NOT NULL,
    "dueDate" TEXT NOT NULL,

    CONSTRAINT "OpenCondition_pkey" PRIMARY KEY ("projectId","conditionId")
);

-- CreateIndex
CREATE INDEX "ProjectFigures_stageOrder_state_reference_idx" ON "ProjectFigures"("stageOrder", "state", "reference");

-- CreateIndex
CREATE INDEX "ProjectFigures_roundId_idx" ON "ProjectFigures"("roundId");

-- CreateIndex
CREATE INDEX "ProjectFigures_nextGateDueOn_reference_idx" ON "ProjectFigures"("nextGateDueOn", "reference");

-- CreateIndex
CREATE INDEX "OpenCondition_dueDate_idx" ON "OpenCondition"("dueDate");

-- CreateIndex
CREATE INDEX "BidScore_roundId_flagged_flagsOpen_idx" ON "BidScore"("roundId", "flagged", "flagsOpen");

-- CreateIndex
CREATE INDEX "Milestone_dueOn_id_idx" ON "Milestone"("dueOn", "id");

-- ---------------------------------------------------------------- the triggers behind the tallies
-- Each keeps its table in step with the rows it counts, in the same transaction as the change.
-- Two counter rows touched by one change are always locked in key order, so two
-- transactions moving bids between the same two states cannot deadlock on them.

CREATE OR REPLACE FUNCTION springboard_bump_bid_tally(round text, st text, slot int, delta int) RETURNS void LANGUAGE sql AS $$
  INSERT INTO "RoundBidTally" ("roundId", state, slot, bids) VALUES (round, st, slot, delta)
    ON CONFLICT ("roundId", state, slot) DO UPDATE SET bids = "RoundBidTally".bids + EXCLUDED.bids;
$$;

CREATE OR REPLACE FUNCTION springboard_bid_tally() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  old_key text;
  new_key text;
BEGIN
  IF TG_OP = 'INSERT' THEN
    PERFORM springboard_bump_bid_tally(NEW."roundId", NEW.state, hashtext(NEW.id) & 15, 1);
  ELSIF TG_OP = 'DELETE' THEN
    PERFORM springboard_bump_bid_tally(OLD."roundId", OLD.state, hashtext(OLD.id) & 15, -1);
  ELSIF OLD.state IS DISTINCT FROM NEW.state OR OLD."roundId" IS DISTINCT FROM NEW."roundId" THEN
    old_key := OLD."roundId" || ' ' || OLD.state;
    new_key := NEW."roundId" || ' ' || NEW.state;
    IF old_key < new_key THEN
      PERFORM springboard_bump_bid_tally(OLD."roundId", OLD.state, hashtext(OLD.id) & 15, -1);
      PERFORM springboard_bump_bid_tally(NEW."roundId", NEW.state, hashtext(NEW.id) & 15, 1);
    ELSE
      PERFORM springboard_bump_bid_tally(NEW."roundId", NEW.state, hashtext(NEW.id) & 15, 1);
      PERFORM springboard_bump_bid_tally(OLD."roundId", OLD.state, hashtext(OLD.id) & 15, -1);
    END IF;
  END IF;
  RETURN NULL;
END $$;

CREATE TRIGGER "RoundBidTally_bid" AFTER INSERT OR UPDATE OF state, "roundId" OR DELETE ON "Bid"
  FOR EACH ROW EXECUTE FUNCTION springboard_bid_tally();

-- An assessment's place in the tally: its bid's round, its assessor, state, whether the
-- assessor declared a conflict (read from the machine's snapshot) and its own due date.
CREATE OR REPLACE FUNCTION springboard_bump_assessment_tally(round text, assessor text, st text, conflict boolean, due timestamp(3), delta int) RETURNS void LANGUAGE sql AS $$
  INSERT INTO "AssessmentTally" ("roundId", "assessorUserId", state, conflict, "dueKey", "dueAt", assessments)
    VALUES (round, assessor, st, conflict, COALESCE(to_char(due, 'YYYY-MM-DD"T"HH24:MI:SS.MS'), ''), due, delta)
    ON CONFLICT ("roundId", "assessorUserId", state, conflict, "dueKey")
    DO UPDATE SET assessments = "AssessmentTally".assessments + EXCLUDED.assessments;
$$;

CREATE OR REPLACE FUNCTION springboard_assessment_conflict(snapshot jsonb) RETURNS boolean LANGUAGE sql IMMUTABLE AS $$
  SELECT COALESCE(snapshot->'context'->'interests'->>'conflict' = 'true', false);
$$;

CREATE OR REPLACE FUNCTION springboard_assessment_tally() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  old_round text;
  new_round text;
  old_conflict boolean;
  new_conflict boolean;
  old_key text;
  new_key text;
BEGIN
  IF TG_OP <> 'INSERT' THEN
    SELECT "roundId" INTO old_round FROM "Bid" WHERE id = OLD."bidId";
    old_conflict := springboard_assessment_conflict(OLD.snapshot);
    old_key := concat_ws(' ', old_round, OLD."assessorUserId", OLD.state, old_conflict, OLD."dueAt");
  END IF;
  IF TG_OP <> 'DELETE' THEN
    SELECT "roundId" INTO new_round FROM "Bid" WHERE id = NEW."bidId";
    new_conflict := springboard_assessment_conflict(NEW.snapshot);
    new_key := concat_ws(' ', new_round, NEW."assessorUserId", NEW.state, new_conflict, NEW."dueAt");
  END IF;
  IF old_key IS NOT DISTINCT FROM new_key THEN
    RETURN NULL;
  END IF;
  IF new_key IS NULL OR (old_key IS NOT NULL AND old_key < new_key) THEN
    PERFORM springboard_bump_assessment_tally(old_round, OLD."assessorUserId", OLD.state, old_conflict, OLD."dueAt", -1);
    IF new_key IS NOT NULL THEN
      PERFORM springboard_bump_assessment_tally(new_round, NEW."assessorUserId", NEW.state, new_conflict, NEW."dueAt", 1);
    END IF;
  ELSE
    PERFORM springboard_bump_assessment_tally(new_round, NEW."assessorUserId", NEW.state, new_conflict, NEW."dueAt", 1);
    IF old_key IS NOT NULL THEN
      PERFORM springboard_bump_assessment_tally(old_round, OLD."assessorUserId", OLD.state, old_conflict, OLD."dueAt", -1);
    END IF;
  END IF;
  RETURN NULL;
END $$;

CREATE TRIGGER "AssessmentTally_assessment" AFTER INSERT OR UPDATE OR DELETE ON "Assessment"
  FOR EACH ROW EXECUTE FUNCTION springboard_assessment_tally();

-- The portfolio's stage order (app/portfolio/stages.ts: scan, pilot, scale, completed, stopped).
CREATE OR REPLACE FUNCTION springboard_project_stage_order(state text) RETURNS int LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE
    WHEN state = 'completed' THEN 3
    WHEN state IN ('stopped', 'closed') THEN 4
    WHEN state LIKE 'pilot\_%' THEN 1
    WHEN state LIKE 'scale\_%' THEN 2
    ELSE 0 END;
$$;

-- Delivering a stage: scan_…, pilot_… or scale_….
CREATE OR REPLACE FUNCTION springboard_project_active(state text) RETURNS boolean LANGUAGE sql IMMUTABLE AS $$
  SELECT state ~ '^(scan|pilot|scale)_';
$$;

-- Works one project's row out again from its records (or removes it with the project).
CREATE OR REPLACE FUNCTION springboard_refresh_project_figures(pid text) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  IF pid IS NULL THEN
    RETURN;
  END IF;
  IF NOT EXISTS (SELECT 1 FROM "Project" WHERE id = pid) THEN
    DELETE FROM "ProjectFigures" WHERE "projectId" = pid;
    DELETE FROM "OpenCondition" WHERE "projectId" = pid;
    RETURN;
  END IF;
  INSERT INTO "ProjectFigures" ("projectId", "roundId", "leadOrganisationId", reference, state, "stageOrder", active, "nextGateDueOn", "committedPence", "spentPence")
  SELECT p.id, b."roundId", p."leadOrganisationId", p.reference, p.state, springboard_project_stage_order(p.state), springboard_project_active(p.state), p."nextGateDueOn",
    COALESCE((SELECT sum(t."amountPence") FROM "ProjectTranche" t WHERE t."projectId" = p.id), 0),
    COALESCE((SELECT s."amountPence" FROM "SpendReport" s WHERE s."projectId" = p.id
              ORDER BY s."periodEnd" DESC, s."createdAt" DESC, s.id DESC LIMIT 1), 0)
  FROM "Project" p JOIN "Bid" b ON b.id = p."bidId"
  WHERE p.id = pid
  ON CONFLICT ("projectId") DO UPDATE SET
    "roundId" = EXCLUDED."roundId", "leadOrganisationId" = EXCLUDED."leadOrganisationId", reference = EXCLUDED.reference,
    state = EXCLUDED.state, "stageOrder" = EXCLUDED."stageOrder", active = EXCLUDED.active, "nextGateDueOn" = EXCLUDED."nextGateDueOn",
    "committedPence" = EXCLUDED."committedPence", "spentPence" = EXCLUDED."spentPence";
END $$;

CREATE OR REPLACE FUNCTION springboard_copy_open_conditions(pid text, snapshot jsonb) RETURNS void LANGUAGE sql AS $$
  DELETE FROM "OpenCondition" WHERE "projectId" = pid;
  INSERT INTO "OpenCondition" ("projectId", "conditionId", text, "dueDate")
  SELECT pid, c->>'id', COALESCE(c->>'text', ''), COALESCE(c->>'dueDate', '')
  FROM jsonb_array_elements(CASE WHEN jsonb_typeof(snapshot->'context'->'conditions') = 'array' THEN snapshot->'context'->'conditions' ELSE '[]'::jsonb END) c
  WHERE c->>'id' IS NOT NULL AND COALESCE(c->'met', 'null'::jsonb) = 'null'::jsonb
  ON CONFLICT DO NOTHING;
$$;

CREATE OR REPLACE FUNCTION springboard_project_figures() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_TABLE_NAME = 'Project' THEN
    IF TG_OP = 'DELETE' THEN
      PERFORM springboard_refresh_project_figures(OLD.id);
      RETURN NULL;
    END IF;
    PERFORM springboard_refresh_project_figures(NEW.id);
    IF TG_OP = 'INSERT' OR OLD.snapshot IS DISTINCT FROM NEW.snapshot THEN
      PERFORM springboard_copy_open_conditions(NEW.id, NEW.snapshot);
    END IF;
    RETURN NULL;
  END IF;
  IF TG_OP <> 'INSERT' THEN
    PERFORM springboard_refresh_project_figures(OLD."projectId");
  END IF;
  IF TG_OP <> 'DELETE' AND (TG_OP = 'INSERT' OR OLD."projectId" IS DISTINCT FROM NEW."projectId") THEN
    PERFORM springboard_refresh_project_figures(NEW."projectId");
  END IF;
  RETURN NULL;
END $$;

CREATE TRIGGER "ProjectFigures_project" AFTER INSERT OR UPDATE OF state, "nextGateDueOn", "leadOrganisationId", reference, "bidId", snapshot OR DELETE ON "Project"
  FOR EACH ROW EXECUTE FUNCTION springboard_project_figures();
CREATE TRIGGER "ProjectFigures_tranche" AFTER INSERT OR UPDATE OR DELETE ON "ProjectTranche"
  FOR EACH ROW EXECUTE FUNCTION springboard_project_figures();
CREATE TRIGGER "ProjectFigures_spend" AFTER INSERT OR UPDATE OR DELETE ON "SpendReport"
  FOR EACH ROW EXECUTE FUNCTION springboard_project_figures();

CREATE OR REPLACE FUNCTION springboard_bump_project_tally(round text, lead text, st text, projects int, committed bigint, spent bigint) RETURNS void LANGUAGE sql AS $$
  INSERT INTO "ProjectTally" ("roundId", "leadOrganisationId", state, projects, "committedPence", "spentPence")
    VALUES (round, lead, st, projects, committed, spent)
    ON CONFLICT ("roundId", "leadOrganisationId", state) DO UPDATE SET
      projects = "ProjectTally".projects + EXCLUDED.projects,
      "committedPence" = "ProjectTally"."committedPence" + EXCLUDED."committedPence",
      "spentPence" = "ProjectTally"."spentPence" + EXCLUDED."spentPence";
$$;

CREATE OR REPLACE FUNCTION springboard_project_tally() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  old_key text;
  new_key text;
BEGIN
  IF TG_OP <> 'INSERT' THEN
    old_key := concat_ws(' ', OLD."roundId", OLD."leadOrganisationId", OLD.state);
  END IF;
  IF TG_OP <> 'DELETE' THEN
    new_key := concat_ws(' ', NEW."roundId", NEW."leadOrganisationId", NEW.state);
  END IF;
  IF old_key IS NOT DISTINCT FROM new_key AND OLD."committedPence" = NEW."committedPence" AND OLD."spentPence" = NEW."spentPence" THEN
    RETURN NULL;
  END IF;
  IF new_key IS NULL OR (old_key IS NOT NULL AND old_key <= new_key) THEN
    PERFORM springboard_bump_project_tally(OLD."roundId", OLD."leadOrganisationId", OLD.state, -1, -OLD."committedPence", -OLD."spentPence");
    IF new_key IS NOT NULL THEN
      PERFORM springboard_bump_project_tally(NEW."roundId", NEW."leadOrganisationId", NEW.state, 1, NEW."committedPence", NEW."spentPence");
    END IF;
  ELSE
    PERFORM springboard_bump_project_tally(NEW."roundId", NEW."leadOrganisationId", NEW.state, 1, NEW."committedPence", NEW."spentPence");
    IF old_key IS NOT NULL THEN
      PERFORM springboard_bump_project_tally(OLD."roundId", OLD."leadOrganisationId", OLD.state, -1, -OLD."committedPence", -OLD."spentPence");
    END IF;
  END IF;
  RETURN NULL;
END $$;

CREATE TRIGGER "ProjectTally_figures" AFTER INSERT OR UPDATE OR DELETE ON "ProjectFigures"
  FOR EACH ROW EXECUTE FUNCTION springboard_project_tally();

-- Every tally worked out again from the records: after a bulk load that bypassed the
-- triggers, or to repair. Writers are held off meanwhile so nothing is counted twice.
CREATE OR REPLACE FUNCTION springboard_rebuild_tallies() RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  LOCK TABLE "Bid", "Assessment", "Project", "ProjectTranche", "SpendReport" IN SHARE MODE;
  DELETE FROM "RoundBidTally";
  INSERT INTO "RoundBidTally" ("roundId", state, slot, bids)
    SELECT "roundId", state, hashtext(id) & 15, count(*) FROM "Bid" GROUP BY 1, 2, 3;
  DELETE FROM "AssessmentTally";
  INSERT INTO "AssessmentTally" ("roundId", "assessorUserId", state, conflict, "dueKey", "dueAt", assessments)
    SELECT b."roundId", a."assessorUserId", a.state, springboard_assessment_conflict(a.snapshot),
      COALESCE(to_char(a."dueAt", 'YYYY-MM-DD"T"HH24:MI:SS.MS'), ''), a."dueAt", count(*)
    FROM "Assessment" a JOIN "Bid" b ON b.id = a."bidId" GROUP BY 1, 2, 3, 4, 5, 6;
  -- The triggers on ProjectFigures keep ProjectTally as the rows go in.
  DELETE FROM "ProjectFigures";
  DELETE FROM "ProjectTally";
  DELETE FROM "OpenCondition";
  INSERT INTO "ProjectFigures" ("projectId", "roundId", "leadOrganisationId", reference, state, "stageOrder", active, "nextGateDueOn", "committedPence", "spentPence")
    SELECT p.id, b."roundId", p."leadOrganisationId", p.reference, p.state, springboard_project_stage_order(p.state), springboard_project_active(p.state), p."nextGateDueOn",
      COALESCE(t.amount, 0), COALESCE(s.amount, 0)
    FROM "Project" p JOIN "Bid" b ON b.id = p."bidId"
      LEFT JOIN (SELECT "projectId", sum("amountPence") AS amount FROM "ProjectTranche" GROUP BY 1) t ON t."projectId" = p.id
      LEFT JOIN (SELECT DISTINCT ON ("projectId") "projectId", "amountPence" AS amount FROM "SpendReport"
                 ORDER BY "projectId", "periodEnd" DESC, "createdAt" DESC, id DESC) s ON s."projectId" = p.id;
  PERFORM springboard_copy_open_conditions(id, snapshot) FROM "Project";
END $$;

SELECT springboard_rebuild_tallies();

-- The stored scores gain the flags: every row is worked out again on its next read.
UPDATE "BidScore" SET dirty = dirty + 1;
