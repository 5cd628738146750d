/**
 * Where uploaded evidence is kept. Content-addressed: the key is the SHA-256 of the bytes,
 * so the same file uploaded twice is stored once and a stored file cannot be changed in
 * place. Local disk by default (UPLOAD_DIR, or DATA_DIR/uploads); with S3_BUCKET set, an
 * S3-compatible object store (./s3.server.ts), which keeps the same promises. `get` is null
 * only for a key the store does not hold; a store that cannot answer throws.
 *
 * The promise on its own, with the form of a key, so each kind of store implements it (and a
 * backup reads its files) without importing the code that chooses between them
 * (./storage.server.ts).
 */
export interface Storage {
  put(bytes: Uint8Array): Promise<{ key: string; sha256: string }>;
  get(key: string): Promise<Uint8Array | null>;
}

// A key is the SHA-256 of the stored bytes in lower-case hex. Both stores refuse any other
// key, and a backup copies only files so named, leaving temporary and stray files behind.
const STORAGE_KEY = /^[a-f0-9]{64}$/;

export const isStorageKey = (name: string) => STORAGE_KEY.test(name);
