-- CreateTable
CREATE TABLE "SeedRun" (
    "id" TEXT NOT NULL,
    "startedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finishedAt" TIMESTAMP(3),

    CONSTRAINT "SeedRun_pkey" PRIMARY KEY ("id")
);
