import { pg_trgm } from "@electric-sql/pglite/contrib/pg_trgm";

/**
 * The PostgreSQL extensions the migrations create (trigram matching for the similar-work
 * panel, app/reuse). PostgreSQL has them installed; PGlite loads each one only if it is
 * passed when the database is opened, so every place that opens a PGlite passes these.
 */
export const pgliteExtensions = { pg_trgm };
