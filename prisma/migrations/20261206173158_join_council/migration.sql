-- CreateEnum
CREATE TYPE "AccessRequestStatus" AS ENUM ('unconfirmed', 'pending', 'approved', 'declined', 'closed');

-- CreateTable
CREATE TABLE "OrganisationDomain" (
    "id" TEXT NOT NULL,
    "domain" TEXT NOT NULL,
    "organisationId" TEXT NOT NULL,
    "addedById" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "OrganisationDomain_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AccessRequest" (
    "id" TEXT NOT NULL,
    "email" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "roleWanted" "Role" NOT NULL,
    "note" TEXT NOT NULL DEFAULT '',
    "organisationId" TEXT NOT NULL,
    "status" "AccessRequestStatus" NOT NULL DEFAULT 'unconfirmed',
    "tokenHash" TEXT NOT NULL,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "confirmedAt" TIMESTAMP(3),
    "answeredAt" TIMESTAMP(3),
    "answeredById" TEXT,
    "grantedRole" "Role",
    "declineReason" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "AccessRequest_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "OrganisationDomain_domain_key" ON "OrganisationDomain"("domain");

-- CreateIndex
CREATE INDEX "OrganisationDomain_organisationId_idx" ON "OrganisationDomain"("organisationId");

-- CreateIndex
CREATE UNIQUE INDEX "AccessRequest_tokenHash_key" ON "AccessRequest"("tokenHash");

-- CreateIndex
CREATE INDEX "AccessRequest_organisationId_status_idx" ON "AccessRequest"("organisationId", "status");

-- CreateIndex
CREATE INDEX "AccessRequest_email_idx" ON "AccessRequest"("email");

-- AddForeignKey
ALTER TABLE "OrganisationDomain" ADD CONSTRAINT "OrganisationDomain_organisationId_fkey" FOREIGN KEY ("organisationId") REFERENCES "Organisation"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AccessRequest" ADD CONSTRAINT "AccessRequest_organisationId_fkey" FOREIGN KEY ("organisationId") REFERENCES "Organisation"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AccessRequest" ADD CONSTRAINT "AccessRequest_answeredById_fkey" FOREIGN KEY ("answeredById") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- Audit triggers (see 20261123202047_audit_log): which domains an organisation has, and who
-- asked to join it and who answered, are kept in the audit log like every business change.
CREATE TRIGGER "OrganisationDomain_audit" AFTER INSERT OR UPDATE OR DELETE ON "OrganisationDomain" FOR EACH ROW EXECUTE FUNCTION springboard_audit();
CREATE TRIGGER "AccessRequest_audit" AFTER INSERT OR UPDATE OR DELETE ON "AccessRequest" FOR EACH ROW EXECUTE FUNCTION springboard_audit();
