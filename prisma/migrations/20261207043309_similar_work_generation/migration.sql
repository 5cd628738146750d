-- Which version of "SimilarWork" a search read (app/reuse/similar.server.ts keeps each draft's
-- answer with the token it was ranked under, and uses it again only while the token is the
-- same). A random token rather than a counter: a database emptied and filled again (tests, a
-- restore) can never come back to a token an app process has already seen.
-- CreateTable
CREATE TABLE "SimilarWorkGeneration" (
    "id" INTEGER NOT NULL DEFAULT 1,
    "token" UUID NOT NULL,

    CONSTRAINT "SimilarWorkGeneration_pkey" PRIMARY KEY ("id")
);

-- A new token for every statement that changes "SimilarWork" (including TRUNCATE), written in
-- that statement's transaction, so a reader sees the new token exactly when it sees the new
-- rows. Upserted, so emptying this table does not stop it. Changes to "SimilarWork" are rare
-- (decisions published, a project's words or a case study changed): the one row they all
-- write is not a queue that matters.
CREATE FUNCTION springboard_similar_work_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO "SimilarWorkGeneration" (id, token) VALUES (1, gen_random_uuid())
  ON CONFLICT (id) DO UPDATE SET token = excluded.token;
  RETURN NULL;
END
$$;
CREATE TRIGGER "SimilarWork_generation" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "SimilarWork"
  FOR EACH STATEMENT EXECUTE FUNCTION springboard_similar_work_changed();

INSERT INTO "SimilarWorkGeneration" (id, token) VALUES (1, gen_random_uuid());
