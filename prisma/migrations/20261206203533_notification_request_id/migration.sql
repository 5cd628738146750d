-- AlterTable
ALTER TABLE "Notification" ADD COLUMN     "requestId" TEXT;
