-- Trigram matching (similarity, word_similarity and their GIN operator class) for the
-- similar-work panel. PGlite loads it only when opened with it (app/db/pglite-extensions.ts).
CREATE EXTENSION IF NOT EXISTS pg_trgm;

-- CreateTable
CREATE TABLE "SimilarWork" (
    "projectId" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "body" TEXT NOT NULL,
    "document" tsvector NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "SimilarWork_pkey" PRIMARY KEY ("projectId")
);

-- CreateIndex
CREATE INDEX "SimilarWork_document_idx" ON "SimilarWork" USING GIN ("document");

-- CreateIndex
CREATE INDEX "SimilarWork_title_idx" ON "SimilarWork" USING GIN ("title" gin_trgm_ops);

-- The text answers of one section of a bid (Bid.answers.sections.<key>), whatever the round's
-- questions were called; the costs and metrics rows are not text and are left out.
CREATE FUNCTION springboard_similar_work_answers(section jsonb) RETURNS text LANGUAGE sql IMMUTABLE AS $$
  SELECT coalesce(string_agg(value #>> '{}', ' '), '')
  FROM jsonb_each(CASE WHEN jsonb_typeof(section) = 'object' THEN section ELSE '{}'::jsonb END)
  WHERE jsonb_typeof(value) = 'string'
$$;

-- One project's row, made again from the records: its title, summary and service area, its
-- funded bid's answers about the problem and the approach, and its case study only while
-- published. Titles weigh most (A), then what the work is and how it was done (B), then
-- what it found and the bid's longer answers (C).
CREATE FUNCTION springboard_similar_work_refresh(pid text) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM "SimilarWork" WHERE "projectId" = pid;
  INSERT INTO "SimilarWork" ("projectId", title, body, document, "updatedAt")
  SELECT p.id, p.title,
    concat_ws(E'\n', p.title, p.summary, p."serviceArea", cs.title, cs.problem, cs.approach, cs.outcome, cs.lessons, cs."reusableOutputs", a.problem, a.approach),
    setweight(to_tsvector('english', concat_ws(' ', p.title, cs.title)), 'A') ||
    setweight(to_tsvector('english', concat_ws(' ', p.summary, p."serviceArea", cs.problem, cs.approach)), 'B') ||
    setweight(to_tsvector('english', concat_ws(' ', cs.outcome, cs.lessons, cs."reusableOutputs", a.problem, a.approach)), 'C'),
    now() AT TIME ZONE 'UTC'
  FROM "Project" p
  LEFT JOIN "Bid" b ON b.id = p."bidId"
  LEFT JOIN "CaseStudy" cs ON cs."projectId" = p.id AND cs.status = 'published'
  CROSS JOIN LATERAL (
    SELECT springboard_similar_work_answers(b.answers -> 'sections' -> 'problem') AS problem,
           springboard_similar_work_answers(b.answers -> 'sections' -> 'approach') AS approach
  ) a
  WHERE p.id = pid;
END
$$;

CREATE FUNCTION springboard_similar_work_project() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    DELETE FROM "SimilarWork" WHERE "projectId" = OLD.id;
  ELSE
    PERFORM springboard_similar_work_refresh(NEW.id);
  END IF;
  RETURN NULL;
END
$$;
CREATE TRIGGER "SimilarWork_project" AFTER INSERT OR UPDATE OF title, summary, "serviceArea", "bidId" OR DELETE ON "Project"
  FOR EACH ROW EXECUTE FUNCTION springboard_similar_work_project();

-- A case study counts only while published: publishing it, changing it once published, and
-- taking it out of the hub each make the project's row again.
CREATE FUNCTION springboard_similar_work_case_study() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP <> 'DELETE' AND NEW.status = 'published' THEN
    PERFORM springboard_similar_work_refresh(NEW."projectId");
  ELSIF TG_OP <> 'INSERT' AND OLD.status = 'published' THEN
    PERFORM springboard_similar_work_refresh(OLD."projectId");
  END IF;
  RETURN NULL;
END
$$;
CREATE TRIGGER "SimilarWork_case_study" AFTER INSERT OR UPDATE OR DELETE ON "CaseStudy"
  FOR EACH ROW EXECUTE FUNCTION springboard_similar_work_case_study();

-- Only a funded bid's answers are searched: a bid with no project changes nothing here.
CREATE FUNCTION springboard_similar_work_bid() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.answers IS DISTINCT FROM OLD.answers THEN
    PERFORM springboard_similar_work_refresh(p.id) FROM "Project" p WHERE p."bidId" = NEW.id;
  END IF;
  RETURN NULL;
END
$$;
CREATE TRIGGER "SimilarWork_bid" AFTER UPDATE OF answers ON "Bid"
  FOR EACH ROW EXECUTE FUNCTION springboard_similar_work_bid();

-- Projects funded before this migration.
SELECT springboard_similar_work_refresh(id) FROM "Project";
