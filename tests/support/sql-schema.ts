import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import ts from "typescript";

/**
 * Checks the table and column names written inside SQL strings against the schema as
 * migrated. Prisma checks the names its own API uses; nothing else would notice a column
 * misspelt inside a string until the query ran. See docs/decisions/0015-data-access.md.
 */

/** Table name → its columns, as information_schema reports them; and the types (enums) the migrations made. */
export interface Schema {
  tables: Map<string, Set<string>>;
  types: Set<string>;
}

export interface SqlString {
  file: string;
  line: number;
  /** The SQL, with every `${…}` substitution replaced by SUBSTITUTION. */
  text: string;
}

export interface SqlProblem {
  name: string;
  why: string;
}

/** Stands in for an interpolated expression: an identifier no schema name can collide with. */
export const SUBSTITUTION = "__substitution__";

// Calls whose string arguments are SQL whatever they look like: the driver-level query
// (database().sql, the `sql` of a transaction), Prisma's raw queries, and multi-statement exec.
const SQL_CALLEES = /^(sql|query|exec|\$queryRaw|\$queryRawUnsafe|\$executeRaw|\$executeRawUnsafe)$/;
// Any other string is SQL when it starts as a statement does, or holds a FROM/JOIN/INTO of a
// quoted table: upper case only, so that sentences such as "Select a council" are left alone.
const LOOKS_LIKE_SQL =
  /^\s*(SELECT|INSERT\s+INTO|UPDATE\s+"|DELETE\s+FROM|WITH\s+\w+\s+AS|TRUNCATE|CREATE|ALTER|DROP)\b|\b(FROM|JOIN|INTO|UPDATE)\s+"[A-Za-z_]/;

function calleeName(node: ts.Expression): string | undefined {
  if (ts.isIdentifier(node)) return node.text;
  if (ts.isPropertyAccessExpression(node)) return node.name.text;
  return undefined;
}

function templateText(node: ts.TemplateExpression | ts.NoSubstitutionTemplateLiteral): string {
  if (ts.isNoSubstitutionTemplateLiteral(node)) return node.text;
  return node.head.text + node.templateSpans.map((span) => ` ${SUBSTITUTION} ${span.literal.text}`).join("");
}

/** Every SQL string in one source file: arguments of SQL calls, tagged $queryRaw templates, and strings that read as SQL. */
export function sqlStringsIn(file: string, source: string): SqlString[] {
  const sourceFile = ts.createSourceFile(file, source, ts.ScriptTarget.Latest, false, file.endsWith(".tsx") ? ts.ScriptKind.TSX : ts.ScriptKind.TS);
  const found: SqlString[] = [];
  const seen = new Set<ts.Node>();
  const add = (node: ts.Node, text: string) => {
    if (seen.has(node)) return;
    seen.add(node);
    found.push({ file, line: sourceFile.getLineAndCharacterOfPosition(node.getStart(sourceFile)).line + 1, text });
  };
  const stringOf = (node: ts.Node): string | undefined => {
    if (ts.isStringLiteral(node)) return node.text;
    if (ts.isNoSubstitutionTemplateLiteral(node) || ts.isTemplateExpression(node)) return templateText(node);
    return undefined;
  };
  const visit = (node: ts.Node) => {
    if (ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) return;
    if (ts.isCallExpression(node) && SQL_CALLEES.test(calleeName(node.expression) ?? "")) {
      for (const argument of node.arguments) {
        const text = stringOf(argument);
        if (text !== undefined) add(argument, text);
      }
    } else if (ts.isTaggedTemplateExpression(node) && /^\$(queryRaw|executeRaw)$/.test(calleeName(node.tag) ?? "")) {
      add(node.template, templateText(node.template));
    } else {
      const text = stringOf(node);
      if (text !== undefined && LOOKS_LIKE_SQL.test(text)) add(node, text);
    }
    ts.forEachChild(node, visit);
  };
  visit(sourceFile);
  return found;
}

/** The .ts, .tsx and .mjs files under each folder, leaving out generated code. */
export function sourceFiles(root: string, folders: string[]): string[] {
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        if (entry.name !== "generated" && entry.name !== "node_modules" && entry.name !== "results") walk(full);
      } else if (/\.(ts|tsx|mjs)$/.test(entry.name) && !entry.name.endsWith(".d.ts")) files.push(full);
    }
  };
  for (const folder of folders) walk(path.join(root, folder));
  return files.sort();
}

// Parsing is the slow part; a file none of whose text reads as SQL has no SQL string to find.
const MAY_HOLD_SQL = /\b(SELECT|INSERT|UPDATE|DELETE|TRUNCATE|WITH|CREATE|ALTER|DROP)\b|\$(queryRaw|executeRaw)/;

export function sqlStringsUnder(root: string, folders: string[]): SqlString[] {
  return sourceFiles(root, folders).flatMap((file) => {
    const source = readFileSync(file, "utf8");
    return MAY_HOLD_SQL.test(source) ? sqlStringsIn(path.relative(root, file), source) : [];
  });
}

// Names that follow FROM or JOIN without being tables of the schema, each with its reason.
const NOT_TABLES = new Map<string, string>([
  ["pg_tables", "system catalog: emptying a database lists its tables"],
  ["pg_class", "system catalog: the planner's row estimate of a table"],
  ["pg_stats", "system catalog: the planner's statistics of a column"],
  ["information_schema", "the SQL standard's catalog"],
  ["lateral", "keyword: FROM … JOIN LATERAL (subquery)"],
  ["only", "keyword: UPDATE ONLY"],
  ["unnest", "set-returning function: rows from arrays"],
  ["generate_series", "set-returning function: numbered rows"],
  ["jsonb_array_elements", "set-returning function: the elements of a JSON array"],
  ["jsonb_to_recordset", "set-returning function: rows from a JSON array"],
  ["jsonb_each", "set-returning function: the pairs of a JSON object"],
  ["regexp_split_to_table", "set-returning function: words of a text"],
  ["values", "a VALUES list used as a table"],
  ["select", "a subquery: FROM (SELECT …)"],
  [SUBSTITUTION.toLowerCase(), "an interpolated table expression, checked where it is written"],
]);

// System columns, which every table has without information_schema listing them, and the
// catalog column the planner's estimate reads (pg_class.reltuples).
const NOT_COLUMNS = new Set(["*", "ctid", "xmin", "oid", "reltuples"]);

const IDENT = String.raw`(?:"[^"]+"|[A-Za-z_][A-Za-z0-9_]*)`;
const unquote = (name: string) => (name.startsWith('"') ? name.slice(1, -1) : name.toLowerCase());

/** The schema's names that one SQL string uses and that the schema lacks. */
export function checkSql(text: string, { tables: schema, types }: Schema): SqlProblem[] {
  const problems: SqlProblem[] = [];
  const sql = text.replace(/--[^\n]*/g, " ").replace(/'(?:[^']|'')*'/g, "''");
  // CTE names (WITH x AS, , y AS) and the column lists some of them declare.
  const ctes = new Set<string>();
  for (const match of sql.matchAll(
    new RegExp(String.raw`(?:\bWITH(?:\s+RECURSIVE)?|,)\s*(${IDENT})\s*(?:\(([^)]*)\))?\s+AS\s+(?:(?:NOT\s+)?MATERIALIZED\s+)?\(`, "gi"),
  )) {
    ctes.add(unquote(match[1]!));
  }
  // Names a query gives its output (AS "x", AS x), which later clauses may use.
  const outputs = new Set<string>();
  for (const match of sql.matchAll(new RegExp(String.raw`\bAS\s+(${IDENT})`, "gi"))) outputs.add(unquote(match[1]!));
  for (const match of sql.matchAll(new RegExp(String.raw`\bAS\s+${IDENT}\s*\(([^)]*)\)`, "gi"))) {
    for (const name of match[1]!.split(",")) outputs.add(unquote(name.trim().split(/\s+/)[0] ?? ""));
  }

  // Tables after FROM/JOIN/INTO/UPDATE/TABLE, with the alias each is given.
  const aliases = new Map<string, string>();
  const named = new Set<string>();
  const reported = new Set<string>();
  const tableRef = new RegExp(String.raw`\b(FROM|JOIN|INTO|UPDATE|TRUNCATE)\s+(?:ONLY\s+)?(?:public\.)?(${IDENT})`, "gi");
  const aliasAfter = new RegExp(String.raw`^\s+(?:AS\s+)?(${IDENT})`, "i");
  const notAlias =
    /^(ON|WHERE|SET|USING|JOIN|LEFT|RIGHT|INNER|FULL|CROSS|GROUP|ORDER|LIMIT|VALUES|SELECT|RETURNING|DEFAULT|FOR|AND|OR|OFFSET|WINDOW|UNION|EXCEPT|INTERSECT|DO|NATURAL|TABLESAMPLE|HAVING|OVERRIDING|RESTART|CASCADE|WITH)$/i;
  for (const match of sql.matchAll(tableRef)) {
    const keyword = match[1]!.toUpperCase();
    const raw = match[2]!;
    const name = unquote(raw);
    const rest = sql.slice(match.index! + match[0].length);
    if (name.includes(SUBSTITUTION) || ctes.has(name) || NOT_TABLES.has(name.toLowerCase())) continue;
    // A function in FROM (generate_series(…), a function of the schema's migrations).
    if (!raw.startsWith('"') && /^\s*\(/.test(rest)) continue;
    const before = sql.slice(Math.max(0, match.index! - 60), match.index!);
    // FROM in EXTRACT(EPOCH FROM x), substring(x FROM y), IS DISTINCT FROM x: not a table.
    if (
      keyword === "FROM" &&
      (/\b(EPOCH|YEAR|MONTH|DAY|HOUR|MINUTE|SECOND|DOW|ISODOW|DISTINCT)\s*$/i.test(before) || /\b(substring|trim|extract|overlay)\s*\([^()]*$/i.test(before))
    )
      continue;
    // INSERT INTO … SELECT, UPDATE … SET and the like: a keyword, not a name.
    if (!raw.startsWith('"') && /^(SELECT|SET|WHERE|AND|OR|NOT|EXISTS|DEFAULT|NULL|TABLE)$/i.test(raw)) continue;
    if (keyword === "UPDATE" && /\bFOR(\s+NO\s+KEY)?\s*$/i.test(before)) continue;
    if (!raw.startsWith('"')) {
      // Unquoted, PostgreSQL folds the name to lower case, and the schema's tables are quoted
      // PascalCase: so it is a CTE, of this statement or (in a fragment) of the statement it
      // is spliced into; unless it is a table's name left unquoted.
      const table = [...schema.keys()].find((t) => t.toLowerCase() === name);
      if (table && table !== name) problems.push({ name: raw, why: `${raw} after ${keyword} must be quoted: "${table}"` });
      else if (!table && /^\s*WITH\b/i.test(sql)) problems.push({ name: raw, why: `${raw} after ${keyword} is neither a table nor a CTE of this query` });
      if (!table || table !== name) continue;
    }
    if (!schema.has(name)) {
      problems.push({ name, why: `table "${name}" after ${keyword} is not in the schema` });
      reported.add(name);
      continue;
    }
    named.add(name);
    aliases.set(name, name);
    const alias = aliasAfter.exec(rest)?.[1];
    if (alias && !notAlias.test(alias)) aliases.set(unquote(alias), name);
  }

  const columnsOf = (table: string) => schema.get(table) ?? new Set<string>();
  const anyTableHas = (column: string) => [...schema.values()].some((columns) => columns.has(column));

  // INSERT INTO "T" (a, "b") and UPDATE "T" SET a = …, "b" = …: the listed columns must be T's.
  for (const match of sql.matchAll(new RegExp(String.raw`\bINSERT\s+INTO\s+(${IDENT})(?:\s+(?:AS\s+)?${IDENT})?\s*\(([^)]*)\)`, "gi"))) {
    const table = unquote(match[1]!);
    if (!schema.has(table)) continue;
    for (const column of match[2]!
      .split(",")
      .map((c) => c.trim())
      .filter(Boolean)) {
      const name = unquote(column);
      if (name !== SUBSTITUTION && !columnsOf(table).has(name))
        problems.push({ name, why: `column "${name}" is not in table "${table}" (INSERT INTO column list)` });
    }
  }

  // UPDATE "T" SET a = …, "b" = … and INSERT INTO "T" … ON CONFLICT … DO UPDATE SET a = …:
  // the columns set must be T's.
  for (const match of sql.matchAll(new RegExp(String.raw`\b(UPDATE\s+(?:ONLY\s+)?(${IDENT})(?:\s+(?:AS\s+)?${IDENT})?|DO\s+UPDATE)\s+SET\s`, "gi"))) {
    const target = match[2] ?? new RegExp(String.raw`\bINSERT\s+INTO\s+(${IDENT})`, "i").exec(sql.slice(0, match.index!))?.[1];
    const table = target ? unquote(target) : undefined;
    if (!table || !schema.has(table)) continue;
    let depth = 0;
    let piece = "";
    const pieces: string[] = [];
    for (const char of sql.slice(match.index! + match[0].length)) {
      if (char === "(") depth++;
      if (char === ")" && --depth < 0) break;
      if (char === "," && depth === 0) {
        pieces.push(piece);
        piece = "";
      } else piece += char;
      // The SET list ends at the statement's next clause.
      if (depth === 0 && /\b(WHERE|FROM|RETURNING)\s$/i.test(piece)) break;
    }
    pieces.push(piece);
    for (const assignment of pieces) {
      const column = new RegExp(String.raw`^\s*(${IDENT})\s*=`).exec(assignment)?.[1];
      if (!column) continue;
      const name = unquote(column);
      if (!name.includes(SUBSTITUTION) && !columnsOf(table).has(name)) problems.push({ name, why: `column "${name}" is not in table "${table}" (SET)` });
    }
  }

  // alias.column and "Table"."column", quoted or not.
  for (const match of sql.matchAll(new RegExp(String.raw`(?<![\w".])(${IDENT})\.(${IDENT}|\*)`, "g"))) {
    const qualifier = unquote(match[1]!);
    const column = match[2] === "*" ? "*" : unquote(match[2]!);
    if (NOT_COLUMNS.has(column) || column === SUBSTITUTION || qualifier === SUBSTITUTION) continue;
    // Schema-qualified names (public.x, pg_catalog.x) are not alias.column.
    if (qualifier === "public" || qualifier === "pg_catalog") continue;
    if (qualifier === "excluded") {
      // ON CONFLICT … DO UPDATE SET x = EXCLUDED.x: the columns of the table inserted into.
      const insertInto = new RegExp(String.raw`\bINSERT\s+INTO\s+(${IDENT})`, "i").exec(sql);
      const table = insertInto ? unquote(insertInto[1]!) : undefined;
      if (table && schema.has(table) && !columnsOf(table).has(column))
        problems.push({ name: column, why: `column "${column}" is not in table "${table}" (EXCLUDED)` });
      continue;
    }
    const table = aliases.get(qualifier) ?? (schema.has(qualifier) && match[1]!.startsWith('"') ? qualifier : undefined);
    if (table) {
      if (!columnsOf(table).has(column)) problems.push({ name: column, why: `column "${column}" is not in table "${table}" (as ${match[0]})` });
    } else if (ctes.has(qualifier) || outputs.has(qualifier)) {
      continue;
    } else if (match[1]!.startsWith('"') && !reported.has(qualifier)) {
      // Quoted qualifiers are tables (aliases are lower-case words): this one is not.
      problems.push({ name: qualifier, why: `"${qualifier}" (in ${match[0]}) is not a table of the schema, nor an alias or CTE of this query` });
    } else if (match[2]!.startsWith('"') && !anyTableHas(column) && !outputs.has(column)) {
      // A fragment whose FROM is written elsewhere: the column must at least be someone's.
      problems.push({ name: column, why: `column "${column}" (as ${match[0]}) is in no table of the schema` });
    }
  }

  // A quoted identifier standing alone is a table, a column of a table named here, or a
  // name this query gives to its output.
  const candidates = named.size ? [...named].map(columnsOf) : [...schema.values()];
  for (const match of sql.matchAll(/(?<![\w."])"([^"]+)"(?![.\w])/g)) {
    const name = match[1]!;
    const at = match.index!;
    if (name.includes(SUBSTITUTION) || schema.has(name) || reported.has(name) || ctes.has(name) || outputs.has(name)) continue;
    const before = sql.slice(Math.max(0, at - 12), at);
    if (/::\s*$/.test(before)) {
      if (!types.has(name)) problems.push({ name, why: `type "${name}" (in a cast) is not one of the schema's types` });
      continue;
    }
    // COLLATE "C": a collation, not a column.
    if (/\bCOLLATE\s+$/i.test(before)) continue;
    // "x"'s columns in a WITH list or after AS: outputs, handled above.
    if (candidates.some((columns) => columns.has(name))) continue;
    if (!named.size || !anyTableHas(name)) {
      problems.push({
        name,
        why: `"${name}" is neither a table, nor a column of ${named.size ? [...named].map((t) => `"${t}"`).join(", ") : "any table"}, nor a name the query defines`,
      });
    } else {
      problems.push({ name, why: `column "${name}" is not in ${[...named].map((t) => `"${t}"`).join(", ")}, the tables this query names` });
    }
  }
  return problems;
}

/** The schema as a migrated database holds it (public tables, views and types). */
export async function readSchema(query: (text: string) => Promise<{ rows: Record<string, unknown>[] }>): Promise<Schema> {
  const columns = await query(`SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = 'public'`);
  const tables = new Map<string, Set<string>>();
  for (const row of columns.rows as { table_name: string; column_name: string }[]) {
    if (!tables.has(row.table_name)) tables.set(row.table_name, new Set());
    tables.get(row.table_name)!.add(row.column_name);
  }
  const types = await query(`SELECT t.typname FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace WHERE n.nspname = 'public'`);
  return { tables, types: new Set((types.rows as { typname: string }[]).map((row) => row.typname)) };
}
