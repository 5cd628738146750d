-- CreateTable
CREATE TABLE "Assessment" (
    "id" TEXT NOT NULL,
    "bidId" TEXT NOT NULL,
    "assessorUserId" TEXT NOT NULL,
    "scores" JSONB NOT NULL DEFAULT '{}',
    "state" TEXT NOT NULL,
    "snapshot" JSONB NOT NULL,
    "machineVersion" INTEGER NOT NULL,
    "version" INTEGER NOT NULL DEFAULT 0,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Assessment_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Project" (
    "id" TEXT NOT NULL,
    "bidId" TEXT NOT NULL,
    "leadOrganisationId" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "reference" TEXT NOT NULL,
    "awardPence" INTEGER NOT NULL,
    "state" TEXT NOT NULL,
    "snapshot" JSONB NOT NULL,
    "machineVersion" INTEGER NOT NULL,
    "version" INTEGER NOT NULL DEFAULT 0,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Project_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "Assessment_assessorUserId_state_idx" ON "Assessment"("assessorUserId", "state");

-- CreateIndex
CREATE UNIQUE INDEX "Assessment_bidId_assessorUserId_key" ON "Assessment"("bidId", "assessorUserId");

-- CreateIndex
CREATE UNIQUE INDEX "Project_bidId_key" ON "Project"("bidId");

-- CreateIndex
CREATE UNIQUE INDEX "Project_reference_key" ON "Project"("reference");

-- CreateIndex
CREATE INDEX "Project_leadOrganisationId_idx" ON "Project"("leadOrganisationId");

-- CreateIndex
CREATE INDEX "Project_state_idx" ON "Project"("state");

-- AddForeignKey
ALTER TABLE "Assessment" ADD CONSTRAINT "Assessment_bidId_fkey" FOREIGN KEY ("bidId") REFERENCES "Bid"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Assessment" ADD CONSTRAINT "Assessment_assessorUserId_fkey" FOREIGN KEY ("assessorUserId") REFERENCES "User"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Project" ADD CONSTRAINT "Project_bidId_fkey" FOREIGN KEY ("bidId") REFERENCES "Bid"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Project" ADD CONSTRAINT "Project_leadOrganisationId_fkey" FOREIGN KEY ("leadOrganisationId") REFERENCES "Organisation"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
