/**
 * A form that acts on one of several records (an assessment to return or unassign) carries
 * each one's version as `versions` entries of `<id>:<version>`. Naming a field after a
 * record's id instead would put the id's parts in the field name, where readForm rightly
 * refuses an all-digit part (a UUID has them) as a row number.
 */
export const VERSIONS_FIELD = "versions";
export const versionEntry = (id: string, version: number) => `${id}:${version}`;
