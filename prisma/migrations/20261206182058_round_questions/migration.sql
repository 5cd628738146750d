-- AlterTable
ALTER TABLE "Round" ADD COLUMN     "questions" JSONB;
