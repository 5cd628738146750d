/** A json or jsonb column's value: drivers differ in whether they arrive parsed (text) or not. */
export const jsonColumn = <T = unknown>(value: unknown): T => (typeof value === "string" ? JSON.parse(value) : value) as T;
