-- Evidence belongs to a stage: a gate weighs the metrics actuals and the written evaluation
-- of the stage it closes, not what was recorded before it.

-- A project's current stage: the stage its state names (scan_inDelivery -> scan), or for a
-- project starting, stopped or finished, the stage its machine's context last recorded.
CREATE FUNCTION springboard_project_stage(state text, snapshot jsonb) RETURNS "Stage" LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE
    WHEN position('_' IN state) > 0 AND split_part(state, '_', 1) IN ('scan', 'pilot', 'scale') THEN split_part(state, '_', 1)::"Stage"
    WHEN snapshot -> 'context' ->> 'stage' IN ('scan', 'pilot', 'scale') THEN (snapshot -> 'context' ->> 'stage')::"Stage"
    ELSE 'scan'::"Stage"
  END
$$;

-- MetricActual.stage: existing rows get the stage the project was in when the row was
-- recorded (its createdAt), read from the project's transition history: the state of the
-- last transition at or before that moment. Where the history says nothing about a stage
-- then (no transition yet, or the project was between stages), the project's current stage.
ALTER TABLE "MetricActual" ADD COLUMN "stage" "Stage";

UPDATE "MetricActual" a
   SET stage = COALESCE(
     (SELECT CASE WHEN position('_' IN h."toState") > 0 AND split_part(h."toState", '_', 1) IN ('scan', 'pilot', 'scale')
                  THEN split_part(h."toState", '_', 1)::"Stage" END
        FROM "TransitionHistory" h
       WHERE h."recordType" = 'project' AND h."recordId" = m."projectId" AND h.at <= a."createdAt"
       ORDER BY h.at DESC, h.id DESC
       LIMIT 1),
     springboard_project_stage(p.state, p.snapshot)
   )
  FROM "Metric" m JOIN "Project" p ON p.id = m."projectId"
 WHERE m.id = a."metricId";

ALTER TABLE "MetricActual" ALTER COLUMN "stage" SET NOT NULL;

-- The written evaluation moves from one column on Project to one row per stage. When an
-- existing evaluation was written cannot be known (Project.updatedAt moves with every
-- change to the project), so it goes to the project's current stage.
CREATE TABLE "ProjectEvaluation" (
    "id" TEXT NOT NULL,
    "projectId" TEXT NOT NULL,
    "stage" "Stage" NOT NULL,
    "text" TEXT NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "ProjectEvaluation_pkey" PRIMARY KEY ("id")
);

CREATE UNIQUE INDEX "ProjectEvaluation_projectId_stage_key" ON "ProjectEvaluation"("projectId", "stage");

ALTER TABLE "ProjectEvaluation" ADD CONSTRAINT "ProjectEvaluation_projectId_fkey" FOREIGN KEY ("projectId") REFERENCES "Project"("id") ON DELETE CASCADE ON UPDATE CASCADE;

INSERT INTO "ProjectEvaluation" (id, "projectId", stage, text, "updatedAt")
SELECT 'ev' || md5(p.id || ':evaluation'), p.id, springboard_project_stage(p.state, p.snapshot), p.evaluation, CURRENT_TIMESTAMP
  FROM "Project" p
 WHERE btrim(p.evaluation) <> '';

DROP FUNCTION springboard_project_stage(text, jsonb);

ALTER TABLE "Project" DROP COLUMN "evaluation";

-- Audited like the column it replaces (see the audit_log migration).
CREATE TRIGGER "ProjectEvaluation_audit" AFTER INSERT OR UPDATE OR DELETE ON "ProjectEvaluation" FOR EACH ROW EXECUTE FUNCTION springboard_audit();
