-- Forms kept before this change are bound to no browser or person, so none of them can be
-- handed back safely: they are dropped (they lived a day at most).
DELETE FROM "FormRescue";

-- AlterTable
ALTER TABLE "FormRescue" ADD COLUMN     "csrfHash" TEXT NOT NULL,
ADD COLUMN     "userId" TEXT NOT NULL;

-- CreateIndex
CREATE INDEX "FormRescue_csrfHash_createdAt_idx" ON "FormRescue"("csrfHash", "createdAt");

-- CreateIndex
CREATE INDEX "FormRescue_expiresAt_idx" ON "FormRescue"("expiresAt");
