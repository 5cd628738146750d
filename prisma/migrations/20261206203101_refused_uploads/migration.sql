-- CreateTable
CREATE TABLE "RefusedUpload" (
    "id" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "userId" TEXT NOT NULL,
    "organisationId" TEXT NOT NULL,
    "recordKind" TEXT NOT NULL,
    "recordId" TEXT NOT NULL,
    "documentType" TEXT NOT NULL,
    "fileName" TEXT NOT NULL,
    "size" INTEGER NOT NULL,
    "signature" TEXT NOT NULL,
    "sha256" TEXT NOT NULL,

    CONSTRAINT "RefusedUpload_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "RefusedUpload_createdAt_idx" ON "RefusedUpload"("createdAt");
