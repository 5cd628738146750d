-- CreateTable
CREATE TABLE "BidScore" (
    "bidId" TEXT NOT NULL,
    "roundId" TEXT NOT NULL,
    "moderatedScore" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "topScore" DOUBLE PRECISION,
    "submittedAt" TIMESTAMP(3),
    "unresolved" INTEGER NOT NULL DEFAULT 0,
    "dirty" INTEGER NOT NULL DEFAULT 1,

    CONSTRAINT "BidScore_pkey" PRIMARY KEY ("bidId")
);

-- CreateIndex
CREATE INDEX "BidScore_roundId_moderatedScore_idx" ON "BidScore"("roundId", "moderatedScore" DESC);

-- CreateIndex
CREATE INDEX "BidScore_roundId_dirty_idx" ON "BidScore"("roundId", "dirty");

-- CreateIndex
CREATE INDEX "BidScore_roundId_unresolved_idx" ON "BidScore"("roundId", "unresolved");

-- AddForeignKey
ALTER TABLE "BidScore" ADD CONSTRAINT "BidScore_bidId_fkey" FOREIGN KEY ("bidId") REFERENCES "Bid"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Every bid gets its row, marked for working out; an assessment or consensus score written
-- by any path (the service, a fixture, a console) marks its bid's figures out of date.
INSERT INTO "BidScore" ("bidId", "roundId", "dirty") SELECT id, "roundId", 1 FROM "Bid";

CREATE OR REPLACE FUNCTION springboard_bid_score_dirty() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  bid text;
BEGIN
  IF TG_OP = 'DELETE' THEN
    bid := OLD."bidId";
  ELSIF TG_TABLE_NAME = 'Bid' THEN
    bid := NEW.id;
  ELSE
    bid := NEW."bidId";
  END IF;
  IF TG_TABLE_NAME = 'Bid' THEN
    INSERT INTO "BidScore" ("bidId", "roundId", "dirty") VALUES (bid, NEW."roundId", 1)
      ON CONFLICT ("bidId") DO UPDATE SET "dirty" = "BidScore"."dirty" + 1, "roundId" = EXCLUDED."roundId";
  ELSE
    UPDATE "BidScore" SET "dirty" = "dirty" + 1 WHERE "bidId" = bid;
  END IF;
  RETURN NULL;
END $$;

CREATE TRIGGER "BidScore_bid" AFTER INSERT OR UPDATE OF "roundId", snapshot ON "Bid" FOR EACH ROW EXECUTE FUNCTION springboard_bid_score_dirty();
CREATE TRIGGER "BidScore_assessment" AFTER INSERT OR UPDATE OR DELETE ON "Assessment" FOR EACH ROW EXECUTE FUNCTION springboard_bid_score_dirty();
CREATE TRIGGER "BidScore_consensus" AFTER INSERT OR UPDATE OR DELETE ON "ConsensusScore" FOR EACH ROW EXECUTE FUNCTION springboard_bid_score_dirty();
