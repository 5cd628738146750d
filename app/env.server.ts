import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { z } from "zod";
import { refuseToStart } from "./log/log.server.ts";
import { clamdUrlProblem } from "./utils/clamd-url.ts";

// A variable set to nothing (S3_BUCKET= in a compose file) is taken as not set.
const unsetIfEmpty = <T extends z.ZodType>(inner: T) => z.preprocess((value) => (value === "" ? undefined : value), inner);

/**
 * Configuration comes from the environment only (README "Configuration" lists it).
 * Validated once; a bad value stops the service at start with a message, not later.
 */
const schema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  APP_URL: z.string().url().optional(),
  DATABASE_URL: z.string().min(1).optional(),
  DATA_DIR: z.string().default("data"),
  SESSION_SECRET: z.string().min(32, "SESSION_SECRET must be at least 32 characters").optional(),
  SMTP_URL: z.string().min(1).optional(),
  MAIL_FROM: z.string().default("Springboard <noreply@springboard.localhost>"),
  RUN_WORKER: z.enum(["true", "false"]).default("true"),
  // Hour of the day (Europe/London) when daily digests go out.
  DIGEST_HOUR: z.coerce.number().int().min(0).max(23).default(8),
  SIGN_IN_LIMIT_PER_ADDRESS: z.coerce.number().int().min(1).default(5),
  SIGN_IN_LIMIT_PER_CLIENT: z.coerce.number().int().min(1).default(30),
  UPLOAD_LIMIT_PER_HOUR: z.coerce.number().int().min(1).default(60),
  // Demo people and a demo fund on an empty database: on unless NODE_ENV=production.
  SEED_DEMO: z.enum(["true", "false"]).optional(),
  UPLOAD_DIR: z.string().optional(),
  // Uploads in an S3-compatible object store rather than on local disk (app/storage/s3.server.ts).
  // The bucket's name only: a URL or a folder here ("s3://x", "x/uploads") would be sent as
  // a bucket name and fail at the first upload, not at start.
  S3_BUCKET: unsetIfEmpty(
    z
      .string()
      .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{1,61}[A-Za-z0-9]$/, "the bucket's name only, such as springboard-uploads (a folder inside it goes in S3_PREFIX)")
      .optional(),
  ),
  S3_ENDPOINT: unsetIfEmpty(z.string().url("the store's address, such as https://minio.internal:9000").optional()),
  S3_REGION: unsetIfEmpty(
    z
      .string()
      .regex(/^[a-z0-9-]{2,40}$/, "a region name, such as eu-west-2")
      .optional(),
  ),
  S3_FORCE_PATH_STYLE: unsetIfEmpty(z.enum(["true", "false"]).optional()),
  // A folder inside the bucket: "uploads" keeps every file under "uploads/".
  S3_PREFIX: unsetIfEmpty(
    z
      .string()
      .regex(
        /^(?!\/)(?!.*\/\/)(?!(.*\/)?\.\.?(\/|$))[A-Za-z0-9!_.*'()/-]{1,200}$/,
        "a folder inside the bucket, such as springboard/uploads: letters, digits and - _ . / only, not starting with /",
      )
      .transform((value) => (value.endsWith("/") ? value : `${value}/`))
      .optional(),
  ),
  // Where clamd listens; set, every upload is checked for viruses before it is kept.
  CLAMD_URL: z
    .string()
    .optional()
    .transform((value) => (value === "" ? undefined : value))
    .superRefine((value, ctx) => {
      if (value === undefined) return;
      const problem = clamdUrlProblem(value);
      if (problem) ctx.addIssue({ code: "custom", message: problem });
    }),
  // Log lines at this level and above (app/log/log.server.ts reads it directly, as
  // it must work before the configuration is read; validated here so a typo stops the start).
  LOG_LEVEL: z.enum(["trace", "debug", "info", "warn", "error", "fatal", "silent"]).optional(),
  // json: JSON lines outside production too. Production always writes JSON lines: printing
  // readable lines costs each request time.
  LOG_FORMAT: z.enum(["json"]).optional(),
  // GET /metrics answers only `Authorization: Bearer <this>`; unset, there is no such page.
  METRICS_TOKEN: z.preprocess((value) => (value === "" ? undefined : value), z.string().min(1).optional()),
  // Seconds a stopping process stays up, not ready, answering what it was sent, before it
  // closes: long enough for the load balancer to notice /readyz. 5 in production, else 0.
  SHUTDOWN_DRAIN_SECONDS: z.coerce.number().int().min(0).max(300).optional(),
  // `npm run worker` serves /healthz, /readyz and /metrics on this port when it is set.
  WORKER_PORT: z.coerce.number().int().min(1).max(65535).optional(),
  // How many proxies stand in front of the service. Express then takes the client's address
  // from X-Forwarded-For that many entries from the right: the entries further left were
  // written by the client and are whatever it likes. "true" (trust every entry) would let
  // anyone choose their address and so slip the per-client rate limits: it is refused.
  TRUST_PROXY: z
    .string()
    .default("0")
    .transform((value) => (value === "false" ? "0" : value))
    .superRefine((value, ctx) => {
      if (value === "true") {
        ctx.addIssue({
          code: "custom",
          message:
            "set it to the number of proxies in front of the service (for example 1 for one load balancer), not true: with true anyone can choose their own address by sending X-Forwarded-For",
        });
      } else if (!/^\d{1,2}$/.test(value)) {
        ctx.addIssue({ code: "custom", message: "the number of proxies in front of the service, a whole number such as 0 or 1" });
      }
    })
    .transform(Number),
});

export type Env = z.infer<typeof schema> & { APP_URL: string; SESSION_SECRET: string; SEED_DEMO: "true" | "false"; SHUTDOWN_DRAIN_SECONDS: number };

let cached: Env | undefined;

const METRICS_TOKEN_MIN = 32;

export function env(): Env {
  if (cached) return cached;
  const parsed = schema.safeParse(process.env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`);
    throw new Error(`Invalid configuration:\n${lines.join("\n")}`);
  }
  const value = parsed.data;
  if (value.NODE_ENV === "production" && !value.SMTP_URL) {
    // Without an SMTP server every email, sign-in links included, would wait in the dev
    // mailbox for anyone to read.
    throw new Error(
      "Invalid configuration:\n  SMTP_URL: required in production, for example smtp://user:password@smtp.example.com:587. Without it, sign-in links would be readable by anyone.",
    );
  }
  if (value.NODE_ENV === "production" && value.METRICS_TOKEN !== undefined && value.METRICS_TOKEN.length < METRICS_TOKEN_MIN) {
    // The metrics show how busy the service is and which pages fail: a token that can be
    // guessed makes them public.
    throw new Error(
      `Invalid configuration:\n  METRICS_TOKEN: must be at least ${METRICS_TOKEN_MIN} characters in production, for example the output of: openssl rand -hex 32`,
    );
  }
  const storageProblems = objectStorageProblems(value);
  if (storageProblems.length) throw new Error(`Invalid configuration:\n${storageProblems.map((p) => `  ${p}`).join("\n")}`);
  cached = {
    ...value,
    SEED_DEMO: value.SEED_DEMO ?? (value.NODE_ENV === "production" ? "false" : "true"),
    SHUTDOWN_DRAIN_SECONDS: value.SHUTDOWN_DRAIN_SECONDS ?? (value.NODE_ENV === "production" ? 5 : 0),
    APP_URL: value.APP_URL ?? `http://localhost:${value.PORT}`,
    SESSION_SECRET: value.SESSION_SECRET ?? localSecret(value),
  };
  return cached;
}

/**
 * Where uploads go must be plain from the settings: S3_BUCKET chooses the object store, and
 * a setting that only makes sense beside it, or against it, stops the service rather than
 * leaving files somewhere nobody expects (on one machine's disk, say, while the operator
 * thinks they are in the bucket). Credentials are checked when the service starts
 * (app/storage/storage.server.ts), since the SDK may find them outside the environment.
 */
function objectStorageProblems(value: z.infer<typeof schema>): string[] {
  if (!value.S3_BUCKET) {
    const orphans = (["S3_ENDPOINT", "S3_REGION", "S3_PREFIX", "S3_FORCE_PATH_STYLE"] as const).filter((name) => value[name] !== undefined);
    return orphans.length ? [`S3_BUCKET: required with ${orphans.join(", ")}; without it, uploads would be kept on local disk`] : [];
  }
  const problems: string[] = [];
  if (value.UPLOAD_DIR) problems.push("UPLOAD_DIR: set it or S3_BUCKET, not both: with both it is unclear where uploads are kept");
  if (!value.S3_ENDPOINT && !value.S3_REGION && !process.env.AWS_REGION)
    problems.push("S3_REGION: required with S3_BUCKET on Amazon S3, for example eu-west-2");
  if (value.NODE_ENV === "production" && value.S3_ENDPOINT) {
    const endpoint = new URL(value.S3_ENDPOINT);
    const loopback = ["localhost", "127.0.0.1", "[::1]"].includes(endpoint.hostname);
    if (endpoint.protocol !== "https:" && !loopback) {
      problems.push(
        "S3_ENDPOINT: must start with https:// in production, so uploaded files are encrypted on their way to the store (http:// only for an address on this machine)",
      );
    }
  }
  return problems;
}

/**
 * Production deployments must set SESSION_SECRET (several processes must share it). For a
 * newcomer on one machine a random secret is kept in the data folder so sessions survive
 * restarts without any set-up.
 */
function localSecret(value: z.infer<typeof schema>): string {
  if (value.NODE_ENV === "production" && value.DATABASE_URL) {
    throw new Error("Invalid configuration:\n  SESSION_SECRET: required in production with DATABASE_URL");
  }
  const file = path.resolve(value.DATA_DIR, "session-secret");
  if (existsSync(file)) return readFileSync(file, "utf8").trim();
  mkdirSync(path.dirname(file), { recursive: true });
  const secret = randomBytes(32).toString("hex");
  writeFileSync(file, secret, { mode: 0o600 });
  return secret;
}

/**
 * Whether emails are kept for the dev mailbox pages: only on a machine with no SMTP server
 * that is not running in production (where start-up refuses to go without one anyway).
 */
export function devMailboxOpen(): boolean {
  const config = env();
  return !config.SMTP_URL && config.NODE_ENV !== "production";
}

/**
 * env() for a process's entry point: a configuration problem ends the process with its
 * sentences (exit code 1), not with a stack trace.
 */
export function envOrExit(): Env {
  try {
    return env();
  } catch (error) {
    refuseToStart((error as Error).message);
  }
}

/** For tests that change the environment between cases. */
export function resetEnvCache() {
  cached = undefined;
}
