import { createHash } from "node:crypto";
import type { SignedInUser } from "~/auth/session.server.ts";
import { db } from "~/db/database.server.ts";
import { logger } from "~/log/log.server.ts";
import { ScannerUnavailable, virusScanner } from "./virus-scan.server.ts";

/**
 * The virus check every upload passes before it is kept (storage().put) and before any row
 * names it: bid evidence and project evidence (which is also what adopting councils reuse).
 * Without CLAMD_URL it lets everything through, as uploads worked before scanning.
 */

/** Which record's evidence page the file was sent to. */
export interface UploadPlace {
  kind: "bid" | "project";
  id: string;
}

/** clamd marks signatures that are not ClamAV's own with this ending; people need only the name. */
const shownName = (signature: string) => signature.replace(/\.UNOFFICIAL$/, "");

export const virusFound = (signature: string) =>
  `The file contains a virus (${shownName(signature)}), so it was not uploaded. Ask your IT team to check the computer it came from, then upload a copy without the virus`;

export const NOT_CHECKED = "The file could not be checked for viruses, so it was not uploaded. Try again later";

/**
 * Null when the file may be kept; otherwise the sentence to show beside the file box. An
 * infected file is recorded for the fund team (/uploads/refused); a scanner that cannot
 * answer refuses the file too, and is logged for whoever runs the service.
 */
export async function virusRefusal(
  user: SignedInUser,
  place: UploadPlace,
  file: { documentType: string; fileName: string; bytes: Uint8Array },
): Promise<string | null> {
  const scanner = virusScanner();
  if (!scanner) return null;
  const who = { userId: user.id, organisationId: user.organisation.id, recordKind: place.kind, recordId: place.id };
  let verdict;
  try {
    verdict = await scanner.scan(file.bytes);
  } catch (error) {
    const reason = error instanceof ScannerUnavailable ? error.message : String(error);
    logger().error({ event: "virus_scan_failed", ...who, size: file.bytes.length, reason }, "An upload was refused because the virus scanner did not answer");
    return NOT_CHECKED;
  }
  if (verdict.clean) return null;
  const sha256 = createHash("sha256").update(file.bytes).digest("hex");
  await db().refusedUpload.create({
    data: { ...who, documentType: file.documentType, fileName: file.fileName, size: file.bytes.length, signature: verdict.signature, sha256 },
  });
  logger().warn({ event: "upload_refused_virus", ...who, signature: verdict.signature, sha256 }, "An upload was refused: the virus scanner found a virus");
  return virusFound(verdict.signature);
}
