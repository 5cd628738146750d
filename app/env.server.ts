import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { z } from "zod";

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

export type Env = z.infer<typeof schema> & { APP_URL: string; SESSION_SECRET: string; SEED_DEMO: "true" | "false" };

let cached: Env | undefined;

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
  cached = {
    ...value,
    SEED_DEMO: value.SEED_DEMO ?? (value.NODE_ENV === "production" ? "false" : "true"),
    APP_URL: value.APP_URL ?? `http://localhost:${value.PORT}`,
    SESSION_SECRET: value.SESSION_SECRET ?? localSecret(value),
  };
  return cached;
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
    console.error((error as Error).message);
    process.exit(1);
  }
}

/** For tests that change the environment between cases. */
export function resetEnvCache() {
  cached = undefined;
}
