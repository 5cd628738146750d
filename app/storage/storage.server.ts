import { createHash } from "node:crypto";
import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import path from "node:path";
import { env } from "~/env.server.ts";

/**
 * Where uploaded evidence is kept. Content-addressed: the key is the SHA-256 of the bytes,
 * so the same file uploaded twice is stored once and a stored file cannot be changed in
 * place. Local disk by default (UPLOAD_DIR, or DATA_DIR/uploads); another implementation
 * (an object store) only has to keep these two promises.
 */
export interface Storage {
  put(bytes: Uint8Array): Promise<{ key: string; sha256: string }>;
  get(key: string): Promise<Uint8Array | null>;
}

export const sha256Hex = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex");

export function localDiskStorage(root: string): Storage {
  const fileFor = (key: string) => {
    if (!/^[a-f0-9]{64}$/.test(key)) throw new Error(`Not a storage key: ${key}`);
    return path.join(root, key.slice(0, 2), key);
  };
  return {
    async put(bytes) {
      const sha256 = sha256Hex(bytes);
      const file = fileFor(sha256);
      await mkdir(path.dirname(file), { recursive: true });
      // Write then rename, so a half-written file is never served.
      const temporary = `${file}.${process.pid}.${Date.now()}.tmp`;
      await writeFile(temporary, bytes);
      await rename(temporary, file);
      return { key: sha256, sha256 };
    },
    async get(key) {
      try {
        return new Uint8Array(await readFile(fileFor(key)));
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
        throw error;
      }
    },
  };
}

let current: Storage | undefined;

export function storage(): Storage {
  current ??= localDiskStorage(env().UPLOAD_DIR ?? path.join(env().DATA_DIR, "uploads"));
  return current;
}

/** For tests. */
export function setStorage(value: Storage | undefined) {
  current = value;
}
