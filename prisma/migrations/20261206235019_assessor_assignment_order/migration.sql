-- CreateIndex
CREATE INDEX "Assessment_assessorUserId_createdAt_id_idx" ON "Assessment"("assessorUserId", "createdAt", "id");
