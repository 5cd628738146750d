/**
 * Where uploaded evidence is kept. Content-addressed: the key is the SHA-256 of the bytes,
 * so the same file uploaded twice is stored once and a stored file cannot be changed in
 * place. Local disk by default (UPLOAD_DIR, or DATA_DIR/uploads); with S3_BUCKET set, an
 * S3-compatible object store (./s3.server.ts), which keeps the same promises. `get` is null
 * only for a key the store does not hold; a store that cannot answer throws.
 *
 * The promise on its own, so each kind of store implements it without importing the code
 * that chooses between them (./storage.server.ts).
 */
export interface Storage {
  put(bytes: Uint8Array): Promise<{ key: string; sha256: string }>;
  get(key: string): Promise<Uint8Array | null>;
}
