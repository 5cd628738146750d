import { execFile } from "node:child_process";
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import net from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { env, resetEnvCache } from "~/env.server.ts";
import { isDatabaseUnavailable } from "~/db/unavailable.server.ts";
import { checkObjectStore, ObjectStoreError, s3Storage } from "~/storage/s3.server.ts";
import { fileForDownload, localDiskStorage, setStorage, sha256Hex, type Storage } from "~/storage/storage.server.ts";
import { captureLogs } from "../support/logs.ts";
import { startS3, type S3Server } from "../support/s3.ts";

// Uploads are kept on local disk or in an S3-compatible object store, and the rest of the
// service cannot tell which: both keep the same promises, checked here by the same tests.
// The object store is a real S3-protocol server (s3rver) on loopback.

interface Backend {
  storage: Storage;
  /** How many files the backend holds. */
  held(): Promise<number>;
  /** Makes the backend unable to answer: the disk unreadable, the store stopped. */
  fail(): Promise<void>;
  close(): Promise<void>;
}

const temporary = (name: string) => mkdtempSync(path.join(tmpdir(), `springboard-${name}-`));

const backends: { name: string; make(): Promise<Backend> }[] = [
  {
    name: "local disk",
    async make() {
      const folders = [temporary("uploads")];
      let root = folders[0]!;
      const storage: Storage = {
        put: (bytes) => localDiskStorage(root).put(bytes),
        get: (key) => localDiskStorage(root).get(key),
      };
      return {
        storage,
        held: async () => readdirSync(root, { recursive: true, withFileTypes: true }).filter((entry) => entry.isFile()).length,
        async fail() {
          // A folder that is a file: every read fails with ENOTDIR, which is not "missing".
          folders.push(temporary("broken"));
          root = path.join(folders[1]!, "not-a-folder");
          writeFileSync(root, "");
        },
        async close() {
          for (const folder of folders) rmSync(folder, { recursive: true, force: true });
        },
      };
    },
  },
  {
    name: "an S3-compatible object store",
    async make() {
      const s3 = await startS3();
      return { storage: s3Storage(s3.settings("uploads/")), held: async () => (await s3.keys()).length, fail: () => s3.stop(), close: () => s3.stop() };
    },
  },
];

const bytesOf = (text: string) => new TextEncoder().encode(text);

describe.each(backends)("uploads kept on $name", ({ make }) => {
  let backend: Backend;
  beforeAll(async () => {
    backend = await make();
  });
  afterAll(async () => {
    await backend.close();
  });

  it("gives back the bytes it was given, under their SHA-256", async () => {
    const bytes = bytesOf("%PDF-1.4\nA letter of support\n%%EOF\n");
    const stored = await backend.storage.put(bytes);
    expect(stored).toEqual({ key: sha256Hex(bytes), sha256: sha256Hex(bytes) });
    expect(await backend.storage.get(stored.key)).toEqual(bytes);
  });

  it("keeps the same file once, however often it is uploaded", async () => {
    const before = await backend.held();
    const bytes = bytesOf("The same cost breakdown, sent twice");
    const first = await backend.storage.put(bytes);
    const second = await backend.storage.put(new Uint8Array(bytes));
    expect(second.key).toBe(first.key);
    expect(await backend.held()).toBe(before + 1);
    expect(await backend.storage.get(first.key)).toEqual(bytes);
  });

  it("answers null for a file it does not hold", async () => {
    expect(await backend.storage.get(sha256Hex(bytesOf("never uploaded")))).toBeNull();
  });

  it("refuses a key that is not a SHA-256, so no other path or object can be named", async () => {
    for (const key of ["../../etc/passwd", "A".repeat(64), "abc", `${"a".repeat(64)}/x`]) {
      await expect(backend.storage.get(key)).rejects.toThrow(`Not a storage key: ${key}`);
    }
  });

  it("throws, rather than answering null, when it cannot be read, so a person sees the error page and not 'not found'", async () => {
    const broken = await make();
    const stored = await broken.storage.put(bytesOf("Evidence kept before the fault"));
    await broken.fail();
    await expect(broken.storage.get(stored.key)).rejects.toThrow();
    await expect(broken.storage.put(bytesOf("Evidence sent during the fault"))).rejects.toThrow();
    await broken.close();
  });
});

describe("uploads kept in an S3-compatible object store", () => {
  let s3: S3Server;
  beforeAll(async () => {
    s3 = await startS3();
  });
  afterAll(async () => {
    await s3.stop();
  });

  it("keeps each file under S3_PREFIX, named by its SHA-256 as on local disk", async () => {
    const bytes = bytesOf("A business case");
    const key = sha256Hex(bytes);
    await s3Storage(s3.settings("springboard/uploads/")).put(bytes);
    expect(await s3.keys()).toContain(`springboard/uploads/${key.slice(0, 2)}/${key}`);
  });

  it("writes a file it already holds no second time, so a stored file is never replaced", async () => {
    const storage = s3Storage(s3.settings("once/"));
    const bytes = bytesOf("A data protection impact assessment");
    const { key } = await storage.put(bytes);
    await storage.put(bytes);
    expect(s3.written.filter((written) => written.endsWith(key))).toEqual([`once/${key.slice(0, 2)}/${key}`]);
  });

  it("refuses to hand out a copy that was changed in the store", async () => {
    const storage = s3Storage(s3.settings("altered/"));
    const { key } = await storage.put(bytesOf("The council's signed letter"));
    await s3.putRaw(`altered/${key.slice(0, 2)}/${key}`, bytesOf("Something else entirely"));
    await expect(storage.get(key)).rejects.toThrow(`The object store's copy of ${key} does not match its SHA-256`);
  });

  it("treats a missing bucket as a fault, not as a missing file", async () => {
    const storage = s3Storage({ ...s3.settings(), bucket: "no-such-bucket" });
    await expect(storage.get(sha256Hex(bytesOf("anything")))).rejects.toMatchObject({ name: "ObjectStoreError", storeError: { name: "NoSuchBucket" } });
  });

  it("gives up on a store that accepts connections and never answers", async () => {
    const sockets: net.Socket[] = [];
    const silent = net.createServer((socket) => sockets.push(socket));
    await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
    const { port } = silent.address() as net.AddressInfo;
    try {
      // The same limits as in service, shortened so the test need not wait out the real ones.
      const storage = s3Storage({
        ...s3.settings(),
        endpoint: `http://127.0.0.1:${port}`,
        limits: { connectMs: 500, idleMs: 200, totalMs: 1_000, attempts: 2 },
      });
      await expect(storage.get(sha256Hex(bytesOf("waiting")))).rejects.toMatchObject({ name: "ObjectStoreError", storeError: { name: "TimeoutError" } });
      await expect(storage.put(bytesOf("waiting"))).rejects.toMatchObject({ name: "ObjectStoreError", storeError: { name: "TimeoutError" } });
    } finally {
      for (const socket of sockets) socket.destroy();
      silent.close();
    }
  });

  it("names a store that refuses connections as the store, so it is never taken for the database being away", async () => {
    const down = await startS3();
    const storage = s3Storage(down.settings());
    await down.stop();
    const error = await storage.put(bytesOf("sent while the store is down")).catch((thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(ObjectStoreError);
    expect((error as Error).message).toMatch(/^The object store could not look for [a-f0-9]{64}: Error: connect ECONNREFUSED/);
    expect((error as ObjectStoreError).storeError).toMatchObject({ code: "ECONNREFUSED" });
    // The database's outage page is for the database: this error must not read as one.
    expect(isDatabaseUnavailable(error)).toBe(false);
  });

  it("checks at start that the bucket can be used, and says what to fix when it cannot", async () => {
    expect(await checkObjectStore(s3.settings())).toEqual({ ok: true });
    expect(await checkObjectStore({ ...s3.settings(), bucket: "no-such-bucket" })).toEqual({
      ok: false,
      unreachable: false,
      problem: `S3_BUCKET: there is no bucket called no-such-bucket at ${s3.endpoint}`,
    });
    const wrongKey = await checkObjectStore({ ...s3.settings(), credentials: { accessKeyId: "SOMEONE-ELSE", secretAccessKey: "not-the-secret" } });
    expect(wrongKey).toMatchObject({
      ok: false,
      unreachable: false,
      problem: expect.stringContaining("S3_BUCKET: the credentials given may not use the bucket springboard-uploads"),
    });
    const down = await startS3();
    await down.stop();
    expect(await checkObjectStore(down.settings())).toMatchObject({ ok: false, unreachable: true });
  });
});

describe("a download while the store cannot answer", () => {
  afterEach(() => setStorage(undefined));

  it("is a page saying the file is safe, with the reference to quote, not 'not found'", async () => {
    const s3 = await startS3();
    const storage = s3Storage(s3.settings());
    const { key } = await storage.put(bytesOf("A cost breakdown"));
    setStorage(storage);
    expect(await fileForDownload(key, "req-7f3a")).toEqual(bytesOf("A cost breakdown"));
    expect(await fileForDownload(sha256Hex(bytesOf("never uploaded")), "req-7f3a")).toBeNull();
    await s3.stop();
    const logged = captureLogs("error");
    const answer = await fileForDownload(key, "req-7f3a")
      .then(
        () => null,
        (thrown: unknown) => thrown,
      )
      .finally(logged.restore);
    // Logged once, for whoever runs the service: the page itself says only what to do.
    expect(logged.lines).toEqual([expect.objectContaining({ msg: "An uploaded file could not be read from storage", storageKey: key })]);
    expect(answer).toBeInstanceOf(Response);
    const response = answer as Response;
    expect(response.status).toBe(503);
    expect(response.headers.get("content-type")).toBe("text/html; charset=utf-8");
    const page = await response.text();
    expect(page).toContain('<h1 class="govuk-heading-l">Sorry, there is a problem with the service</h1>');
    expect(page).toContain("quote reference <strong>req-7f3a</strong>");
  });
});

describe("object storage settings", () => {
  const names = ["NODE_ENV", "SMTP_URL", "UPLOAD_DIR", "S3_BUCKET", "S3_ENDPOINT", "S3_REGION", "S3_PREFIX", "S3_FORCE_PATH_STYLE", "AWS_REGION"];
  const saved = Object.fromEntries(names.map((name) => [name, process.env[name]]));
  afterEach(() => {
    for (const name of names) {
      if (saved[name] === undefined) delete process.env[name];
      else process.env[name] = saved[name];
    }
    resetEnvCache();
  });
  const configure = (values: Record<string, string | undefined>) => {
    for (const name of names) delete process.env[name];
    for (const [name, value] of Object.entries(values)) if (value !== undefined) process.env[name] = value;
    resetEnvCache();
  };

  it("chooses the object store with S3_BUCKET, and reads a prefix as a folder", () => {
    configure({ S3_BUCKET: "springboard-uploads", S3_REGION: "eu-west-2", S3_PREFIX: "springboard/uploads" });
    expect(env()).toMatchObject({ S3_BUCKET: "springboard-uploads", S3_REGION: "eu-west-2", S3_PREFIX: "springboard/uploads/" });
    configure({ S3_BUCKET: "" });
    expect(env().S3_BUCKET).toBeUndefined();
  });

  it("refuses settings that leave it unclear where uploads go", () => {
    configure({ S3_BUCKET: "springboard-uploads", S3_REGION: "eu-west-2", UPLOAD_DIR: "uploads" });
    expect(() => env()).toThrow("UPLOAD_DIR: set it or S3_BUCKET, not both");
    configure({ S3_ENDPOINT: "https://minio.internal:9000", S3_PREFIX: "uploads" });
    expect(() => env()).toThrow("S3_BUCKET: required with S3_ENDPOINT, S3_PREFIX; without it, uploads would be kept on local disk");
    configure({ S3_BUCKET: "s3://springboard-uploads/evidence", S3_REGION: "eu-west-2" });
    expect(() => env()).toThrow("S3_BUCKET: the bucket's name only, such as springboard-uploads (a folder inside it goes in S3_PREFIX)");
    configure({ S3_BUCKET: "springboard-uploads", S3_REGION: "eu-west-2", S3_PREFIX: "/../evidence" });
    expect(() => env()).toThrow("S3_PREFIX: a folder inside the bucket");
    configure({ S3_BUCKET: "springboard-uploads" });
    expect(() => env()).toThrow("S3_REGION: required with S3_BUCKET on Amazon S3, for example eu-west-2");
  });

  it("in production, sends files to a store elsewhere only over https", () => {
    const production = { NODE_ENV: "production", SMTP_URL: "smtp://127.0.0.1:9", S3_BUCKET: "springboard-uploads" };
    configure({ ...production, S3_ENDPOINT: "http://minio.internal:9000" });
    expect(() => env()).toThrow("S3_ENDPOINT: must start with https:// in production");
    configure({ ...production, S3_ENDPOINT: "https://minio.internal:9000" });
    expect(env().S3_ENDPOINT).toBe("https://minio.internal:9000");
    configure({ ...production, S3_ENDPOINT: "http://127.0.0.1:9000" });
    expect(env().S3_ENDPOINT).toBe("http://127.0.0.1:9000");
  });
});

describe("the service with object storage it cannot use", () => {
  const root = path.resolve(import.meta.dirname, "../..");
  const folders: string[] = [];
  let s3: S3Server;
  beforeAll(async () => {
    s3 = await startS3();
  });
  afterAll(async () => {
    await s3.stop();
    for (const folder of folders) rmSync(folder, { recursive: true, force: true });
  });

  /**
   * Starts the service's entry point as a real process, to see it refuse before it serves.
   * Not spawnSync: the store answers from this process, which must stay free to answer.
   */
  function start(overrides: Record<string, string | undefined>): Promise<{ status: number | null; output: string }> {
    folders.push(temporary("config"), temporary("home"));
    const environment: Record<string, string | undefined> = {
      ...process.env,
      NODE_ENV: "production",
      SMTP_URL: "smtp://127.0.0.1:9",
      DATABASE_URL: undefined,
      DATA_DIR: folders.at(-2),
      SESSION_SECRET: "production-secret-long-enough-for-signing-0123456789",
      PORT: "3999", // never listened on: the refusal comes before the server starts
      // No credentials file, and no machine role to ask for, on any machine the test runs on.
      HOME: folders.at(-1),
      AWS_EC2_METADATA_DISABLED: "true",
      // The service logs nothing under Vitest unless told to; its refusal is a log line.
      LOG_LEVEL: "info",
      ...s3.env(),
      ...overrides,
    };
    return new Promise((resolve) => {
      execFile(
        process.execPath,
        ["--import", "tsx", "server/index.ts"],
        { cwd: root, env: environment as NodeJS.ProcessEnv, encoding: "utf8", timeout: 60_000 },
        (error, stdout, stderr) => {
          resolve({ status: error ? (typeof error.code === "number" ? error.code : null) : 0, output: stdout + stderr });
        },
      );
    });
  }

  it("will not start with a bucket that does not exist", async () => {
    const result = await start({ S3_BUCKET: "no-such-bucket" });
    expect(result.status).toBe(1);
    expect(result.output).toContain(`S3_BUCKET: there is no bucket called no-such-bucket at ${s3.endpoint}`);
    expect(result.output).not.toMatch(/\n\s+at /);
  });

  it("will not start without credentials for the store", async () => {
    const result = await start({ AWS_ACCESS_KEY_ID: undefined, AWS_SECRET_ACCESS_KEY: undefined });
    expect(result.status).toBe(1);
    expect(result.output).toContain("S3_BUCKET: no credentials for the object store were found");
  });
});
