-- CreateEnum
CREATE TYPE "EmailPreference" AS ENUM ('immediate', 'digest', 'off');

-- AlterEnum
-- This migration adds more than one value to an enum.
-- With PostgreSQL versions 11 and earlier, this is not possible
-- in a single migration. This can be worked around by creating
-- multiple migrations, each migration adding only one value to
-- the enum.


ALTER TYPE "NotificationStatus" ADD VALUE 'held';
ALTER TYPE "NotificationStatus" ADD VALUE 'digested';
ALTER TYPE "NotificationStatus" ADD VALUE 'suppressed';

-- AlterTable
ALTER TABLE "Notification" ADD COLUMN     "digestId" TEXT;

-- AlterTable
ALTER TABLE "User" ADD COLUMN     "emailPreference" "EmailPreference" NOT NULL DEFAULT 'immediate';

-- CreateTable
CREATE TABLE "ScheduledJob" (
    "name" TEXT NOT NULL,
    "nextRunAt" TIMESTAMP(3) NOT NULL,
    "lockedUntil" TIMESTAMP(3),
    "lastRunAt" TIMESTAMP(3),
    "lastError" TEXT,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "ScheduledJob_pkey" PRIMARY KEY ("name")
);

-- CreateTable
CREATE TABLE "SentReminder" (
    "key" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "SentReminder_pkey" PRIMARY KEY ("key")
);

-- CreateIndex
CREATE INDEX "Notification_toUserId_status_idx" ON "Notification"("toUserId", "status");

-- CreateIndex
CREATE INDEX "Notification_template_createdAt_idx" ON "Notification"("template", "createdAt");
