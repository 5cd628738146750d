// What a storage key is: the SHA-256 of the stored bytes, in lower-case hex (the stores are
// content-addressed). Both stores refuse any other key, and a backup copies only files so
// named, leaving temporary and stray files behind. It imports nothing, so the database
// layer, which may import no domain folder, can use it for backups (scripts/lint.mjs).
const STORAGE_KEY = /^[a-f0-9]{64}$/;

export const isStorageKey = (name: string) => STORAGE_KEY.test(name);
