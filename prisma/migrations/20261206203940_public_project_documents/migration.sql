-- AlterTable
ALTER TABLE "ProjectDocument" ADD COLUMN     "isPublic" BOOLEAN NOT NULL DEFAULT false;
