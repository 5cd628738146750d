import { createHash } from "node:crypto";
import { GetObjectCommand, HeadBucketCommand, HeadObjectCommand, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import type { Env } from "~/env.server.ts";
import { isStorageKey, type Storage } from "./store.ts";

// The SDK warns once per process that its releases after January 2027 need Node 22. The
// version in package-lock.json runs on Node 20, and the warning is several lines of plain
// text in the middle of the JSON logs: the Node upgrade is tracked in the decision record
// (docs/decisions/0014-uploads-on-object-storage.md), not in every process's output.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";

/**
 * Uploads kept in an S3-compatible object store (Amazon S3, MinIO, Ceph and the like),
 * behind the same two promises as local disk: the key is the SHA-256 of the bytes, so a
 * stored file is never changed in place, and `get` answers null only when the store says
 * there is no such file. Anything else (the store down, slow, refusing our credentials)
 * is thrown, so a person sees the service's error page, not "not found".
 */
export interface S3Settings {
  bucket: string;
  /** Put before every key: "" or a folder ending in "/". */
  prefix: string;
  /** Unset for the SDK's own choice (AWS_REGION, the profile's region). */
  region?: string;
  /** For a store that is not Amazon S3 (MinIO, Ceph, a test server). */
  endpoint?: string;
  forcePathStyle: boolean;
  /** Unset for the SDK's standard chain: AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, a profile, or the machine's role. */
  credentials?: { accessKeyId: string; secretAccessKey: string };
  /** Tests shorten these to see a hung store refused without waiting for it. */
  limits?: Partial<typeof S3_LIMITS>;
}

/**
 * How long one request to the store may take, and how often it is tried. A 10 MB upload
 * takes well under a second to a store in the same region; a store that accepts the
 * connection and then says nothing is given up on after `idleMs` per attempt, so a hung
 * store costs a person about 15 seconds and an error page, not a request held until the
 * server's own 2-minute limit. Three attempts ride out S3's occasional 503 "slow down".
 */
export const S3_LIMITS = { connectMs: 2_000, idleMs: 5_000, totalMs: 20_000, attempts: 3 };

/** The settings the environment gives (app/env.server.ts has checked them), or null for local disk. */
export function s3SettingsFrom(config: Pick<Env, "S3_BUCKET" | "S3_PREFIX" | "S3_REGION" | "S3_ENDPOINT" | "S3_FORCE_PATH_STYLE">): S3Settings | null {
  if (!config.S3_BUCKET) return null;
  return {
    bucket: config.S3_BUCKET,
    prefix: config.S3_PREFIX ?? "",
    region: config.S3_REGION,
    endpoint: config.S3_ENDPOINT,
    forcePathStyle: config.S3_FORCE_PATH_STYLE === "true",
  };
}

function clientFor(settings: S3Settings): S3Client {
  const limits = { ...S3_LIMITS, ...settings.limits };
  return new S3Client({
    // A store that is not Amazon S3 accepts any region name; us-east-1 is what they expect.
    region: settings.region ?? (settings.endpoint ? "us-east-1" : undefined),
    endpoint: settings.endpoint,
    forcePathStyle: settings.forcePathStyle,
    credentials: settings.credentials,
    maxAttempts: limits.attempts,
    requestHandler: {
      connectionTimeout: limits.connectMs,
      socketTimeout: limits.idleMs,
      requestTimeout: limits.totalMs,
      // Without this the SDK only logs a warning when requestTimeout passes, and waits on.
      throwOnRequestTimeout: true,
    },
  });
}

/**
 * What the store answered, when it was not a file or "no such file": named as the store's
 * fault, with its own error kept beside it. Beside it rather than as `cause`: a refused
 * connection here must not read as the database's (app/db/unavailable.server.ts walks
 * causes for ECONNREFUSED and answers "cannot reach its database").
 */
export class ObjectStoreError extends Error {
  override name = "ObjectStoreError";
  constructor(
    doing: string,
    readonly storeError: unknown,
  ) {
    const { name, message } = (storeError ?? {}) as { name?: string; message?: string };
    super(`The object store could not ${doing}: ${name ?? "Error"}: ${message ?? String(storeError)}`);
  }
}

const statusOf = (error: unknown) => (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
const nameOf = (error: unknown) => (error as { name?: string }).name;

export function s3Storage(settings: S3Settings): Storage {
  const client = clientFor(settings);
  // The same layout as on local disk (ab/abcd…), so moving from one to the other is a copy
  // of the folder (aws s3 sync UPLOAD_DIR s3://bucket/prefix).
  const objectKey = (key: string) => {
    if (!isStorageKey(key)) throw new Error(`Not a storage key: ${key}`);
    return `${settings.prefix}${key.slice(0, 2)}/${key}`;
  };

  async function exists(key: string): Promise<boolean> {
    try {
      await client.send(new HeadObjectCommand({ Bucket: settings.bucket, Key: objectKey(key) }));
      return true;
    } catch (error) {
      // A HEAD answer has no body, so a missing object is only its status. (Without
      // s3:ListBucket, Amazon S3 says 403 instead, and every new upload would fail: the
      // README lists the permissions.)
      if (statusOf(error) === 404) return false;
      throw new ObjectStoreError(`look for ${key}`, error);
    }
  }

  return {
    async put(bytes) {
      const digest = createHash("sha256").update(bytes).digest();
      const sha256 = digest.toString("hex");
      // Stored once: a file already there is the same bytes, and is left as it is.
      if (await exists(sha256)) return { key: sha256, sha256 };
      const put = new PutObjectCommand({
        Bucket: settings.bucket,
        Key: objectKey(sha256),
        Body: bytes,
        ContentType: "application/octet-stream",
        // The store checks the bytes it received against these and refuses a mismatch:
        // Amazon S3 checks (and keeps) the SHA-256, other S3-compatible stores check the MD5.
        ChecksumSHA256: digest.toString("base64"),
        ContentMD5: createHash("md5").update(bytes).digest("base64"),
      });
      try {
        await client.send(put);
      } catch (error) {
        throw new ObjectStoreError(`keep ${sha256}`, error);
      }
      return { key: sha256, sha256 };
    },

    async get(key) {
      const object = objectKey(key);
      let bytes: Uint8Array;
      try {
        const answer = await client.send(new GetObjectCommand({ Bucket: settings.bucket, Key: object }));
        if (!answer.Body) throw new Error(`The object store sent no content for ${key}`);
        bytes = await answer.Body.transformToByteArray();
      } catch (error) {
        // Only a missing object is "not found"; a missing bucket (NoSuchBucket, also 404) is
        // a fault, or every file would quietly disappear.
        if (nameOf(error) === "NoSuchKey") return null;
        throw new ObjectStoreError(`read ${key}`, error);
      }
      // The key is the bytes' SHA-256, so whatever changed them on the way or in the store
      // is caught here rather than handed to a person as their file.
      if (createHash("sha256").update(bytes).digest("hex") !== key) {
        throw new Error(`The object store's copy of ${key} does not match its SHA-256: it was changed or damaged`);
      }
      return bytes;
    },
  };
}

/**
 * At start: whether the object store can be used with these settings. A fault of the
 * configuration (no credentials, no such bucket, not allowed to use it, the wrong region)
 * is returned as sentences and the service refuses to start; a store that does not answer
 * is returned as `unreachable`, since it may be back before anyone uploads.
 */
export async function checkObjectStore(settings: S3Settings): Promise<{ ok: true } | { ok: false; unreachable: boolean; problem: string }> {
  const client = clientFor({ ...settings, limits: { ...settings.limits, attempts: 1 } });
  const where = settings.endpoint ? `at ${settings.endpoint}` : `in ${settings.region ?? "the SDK's default region"}`;
  try {
    await client.config.credentials();
  } catch {
    return {
      ok: false,
      unreachable: false,
      problem:
        "S3_BUCKET: no credentials for the object store were found. Set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or give the machine a role that may use the bucket",
    };
  }
  try {
    await client.send(new HeadBucketCommand({ Bucket: settings.bucket }));
    return { ok: true };
  } catch (error) {
    const status = statusOf(error);
    if (status === 404) return { ok: false, unreachable: false, problem: `S3_BUCKET: there is no bucket called ${settings.bucket} ${where}` };
    if (status === 403) {
      return {
        ok: false,
        unreachable: false,
        problem: `S3_BUCKET: the credentials given may not use the bucket ${settings.bucket} ${where} (it needs s3:ListBucket, s3:GetObject and s3:PutObject)`,
      };
    }
    if (status === 301 || status === 400)
      return { ok: false, unreachable: false, problem: `S3_REGION: the bucket ${settings.bucket} is not ${where}: set the region it was made in` };
    return { ok: false, unreachable: true, problem: `The object store ${where} did not answer (${(error as Error).message})` };
  } finally {
    client.destroy();
  }
}
