-- The rebuild of the running counts (after a bulk load that bypassed the triggers, or to
-- repair) wrote the projects' tally through the figures' row trigger: one update of a tally
-- row for every project, all in one transaction, so no version could be cleaned up until it
-- ended. At 100,000 projects the tally's 1,200 rows were left spread over 1,429 pages, and
-- every portfolio view read them all (twice: 2.2 ms; docs/performance.md). The rebuild now
-- writes the tally once, from the figures, grouped.

CREATE OR REPLACE FUNCTION springboard_project_tally() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  old_key text;
  new_key text;
BEGIN
  -- The rebuild works the whole tally out at once from the figures it wrote (below).
  IF current_setting('springboard.rebuilding_tallies', true) = 'on' THEN
    RETURN NULL;
  END IF;
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


CREATE OR REPLACE FUNCTION springboard_rebuild_tallies() RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  LOCK TABLE "Bid", "Assessment", "Project", "ProjectTranche", "SpendReport", "BidScore" IN SHARE MODE;
  DELETE FROM "RoundBidTally";
  INSERT INTO "RoundBidTally" ("roundId", state, slot, bids)
    SELECT "roundId", state, hashtext(id) & 15, count(*) FROM "Bid" GROUP BY 1, 2, 3;
  DELETE FROM "AssessmentTally";
  INSERT INTO "AssessmentTally" ("roundId", "assessorUserId", state, conflict, "dueKey", "dueAt", assessments)
    SELECT b."roundId", a."assessorUserId", a.state, springboard_assessment_conflict(a.snapshot),
      COALESCE(to_char(a."dueAt", 'YYYY-MM-DD"T"HH24:MI:SS.MS'), ''), a."dueAt", count(*)
    FROM "Assessment" a JOIN "Bid" b ON b.id = a."bidId" GROUP BY 1, 2, 3, 4, 5, 6;
  DELETE FROM "RoundModerationTally";
  INSERT INTO "RoundModerationTally" ("roundId", flagged, "flagsOpen", unresolved)
    SELECT "roundId", count(*) FILTER (WHERE flagged > 0), count(*) FILTER (WHERE flagged > 0 AND "flagsOpen" > 0), count(*) FILTER (WHERE unresolved > 0)
    FROM "BidScore" GROUP BY "roundId";
  DELETE FROM "ProjectFigures";
  DELETE FROM "ProjectTally";
  DELETE FROM "OpenCondition";
  -- The figures' trigger is told to leave the tally alone while they go in (for this
  -- transaction only), and the tally is then worked out from them in one statement.
  PERFORM set_config('springboard.rebuilding_tallies', 'on', true);
  INSERT INTO "ProjectFigures" ("projectId", "roundId", "leadOrganisationId", reference, state, "stageOrder", active, "nextGateDueOn", "committedPence", "spentPence")
    SELECT p.id, b."roundId", p."leadOrganisationId", p.reference, p.state, springboard_project_stage_order(p.state), springboard_project_active(p.state), p."nextGateDueOn",
      COALESCE(t.amount, 0), COALESCE(s.amount, 0)
    FROM "Project" p JOIN "Bid" b ON b.id = p."bidId"
      LEFT JOIN (SELECT "projectId", sum("amountPence") AS amount FROM "ProjectTranche" GROUP BY 1) t ON t."projectId" = p.id
      LEFT JOIN (SELECT DISTINCT ON ("projectId") "projectId", "amountPence" AS amount FROM "SpendReport"
                 ORDER BY "projectId", "periodEnd" DESC, "createdAt" DESC, id DESC) s ON s."projectId" = p.id;
  PERFORM set_config('springboard.rebuilding_tallies', 'off', true);
  INSERT INTO "ProjectTally" ("roundId", "leadOrganisationId", state, projects, "committedPence", "spentPence")
    SELECT "roundId", "leadOrganisationId", state, count(*), sum("committedPence"), sum("spentPence")
    FROM "ProjectFigures" GROUP BY 1, 2, 3;
  PERFORM springboard_copy_open_conditions(id, snapshot) FROM "Project";
END $$;
