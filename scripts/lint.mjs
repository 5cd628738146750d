// Checks that type checking cannot: no skipped, focused or todo tests anywhere, and no
// route without a rule in the access table (the authorisation test checks behaviour; this
// gives the same answer in a second, without a database).
import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";

const problems = [];
function walk(dir) {
  for (const name of readdirSync(dir)) {
    const file = path.join(dir, name);
    if (name === "node_modules" || name === "generated") continue;
    if (statSync(file).isDirectory()) walk(file);
    else if (/\.(ts|tsx|mjs)$/.test(name)) {
      readFileSync(file, "utf8")
        .split("\n")
        .forEach((line, i) => {
          if (/\b(it|test|describe)\.(skip|only|todo)\(|test\.fixme\(/.test(line)) problems.push(`${file}:${i + 1}: skipped, focused or todo test`);
          // A path of one machine passes there and fails everywhere else: use the repository
          // (import.meta.dirname) or os.tmpdir().
          if (/["'`]\/(work|tmp|home|root|Users|mnt|srv)\//.test(line)) problems.push(`${file}:${i + 1}: an absolute path of one machine`);
        });
    }
  }
}
for (const dir of ["app", "workflows", "emails", "tests", "bench", "server", "scripts"]) walk(dir);

const access = readFileSync("app/auth/access.server.ts", "utf8");
for (const route of readdirSync("app/routes")) {
  const id = `routes/${route.replace(/\.tsx$/, "")}`;
  if (!access.includes(`"${id}"`)) problems.push(`app/routes/${route}: no rule in app/auth/access.server.ts`);
}

// Every action reads its body through readForm (bounded) and its fields through parseForm
// (one schema per intent): a route reading the request or a field by hand skips both.
for (const route of readdirSync("app/routes")) {
  readFileSync(path.join("app/routes", route), "utf8")
    .split("\n")
    .forEach((line, i) => {
      if (/\.formData\(|\bform\.(get|getAll|entries|has)\(|unstable_parseMultipartFormData/.test(line)) {
        problems.push(`app/routes/${route}:${i + 1}: reads the request body or a form field by hand (use readForm and parseForm from app/forms)`);
      }
    });
}

// The layers run one way: the database layer (app/db) is imported by the domain, never the
// reverse, or a cycle follows (the demo seeding lives in app/seed for that reason); and the
// benchmarks share helpers with the tests through bench/support, not by reaching into tests/.
const importsOf = (file) => [...readFileSync(file, "utf8").matchAll(/(?:from|import)\s*\(?\s*["']([^"']+)["']/g)].map((m) => m[1]);
const filesUnder = (dir) =>
  readdirSync(dir, { recursive: true })
    .map((name) => path.join(dir, name))
    .filter((file) => /\.(ts|tsx|mjs)$/.test(file));
for (const file of filesUnder("app/db")) {
  for (const spec of importsOf(file)) {
    const inside = spec.startsWith("./") || spec.startsWith("~/db/");
    const allowed = inside || spec.startsWith("~/generated/") || spec.startsWith("~/log/") || spec === "~/env.server.ts";
    if ((spec.startsWith("~/") || spec.startsWith(".")) && !allowed)
      problems.push(`${file}: imports ${spec} (app/db may import only itself, the generated client, the logger and the settings)`);
  }
}
for (const file of filesUnder("bench")) {
  for (const spec of importsOf(file)) {
    if (path.resolve(path.dirname(file), spec).startsWith(path.resolve("tests") + path.sep))
      problems.push(`${file}: imports ${spec} (bench may not import tests/; share it through bench/support)`);
  }
}
// One SQL style (docs/decisions/0015-data-access.md): SQL goes through the driver
// (`database().sql`, `sqlTransaction`), or through `sqlIn(tx)` inside a Prisma transaction,
// which is the one caller of Prisma's raw queries.
const rawQueryCallers = new Map([["app/db/database.server.ts", "sqlIn: SQL inside a Prisma transaction"]]);
for (const dir of ["app", "server", "scripts", "bench"]) {
  for (const file of filesUnder(dir)) {
    if (file.startsWith(path.join("app", "generated")) || rawQueryCallers.has(file.split(path.sep).join("/"))) continue;
    readFileSync(file, "utf8")
      .split("\n")
      .forEach((line, i) => {
        if (/\$(queryRaw|executeRaw)(Unsafe)?\b/.test(line))
          problems.push(`${file}:${i + 1}: Prisma's raw query (write SQL in the domain's sql.server.ts, run through database().sql, sqlTransaction or sqlIn)`);
      });
  }
}
// The machines and the email templates are pure: they import nothing of the app (which
// imports them), so they can be tested, drawn and previewed without a database or Remix.
for (const dir of ["workflows", "emails"]) {
  for (const file of filesUnder(dir)) {
    for (const spec of importsOf(file)) {
      const target = path.resolve(path.dirname(file), spec);
      if (
        spec.startsWith("~/") ||
        (spec.startsWith(".") && !target.startsWith(path.resolve("workflows") + path.sep) && !target.startsWith(path.resolve("emails") + path.sep))
      ) {
        problems.push(`${file}: imports ${spec} (${dir}/ may import only workflows/, emails/ and packages)`);
      }
    }
  }
}

// No import cycles, between files or between app's folders (each folder a layer that imports
// only those below it: app/components imports no domain, a domain's sql.server.ts none of the
// modules that call it). A cycle makes the order of evaluation matter and the folders unreadable
// as layers. Type-only imports count: they tie the files together for a reader just the same.
const resolveImport = (file, spec) => {
  const base = spec.startsWith("~/") ? path.join("app", spec.slice(2)) : spec.startsWith(".") ? path.join(path.dirname(file), spec) : null;
  if (!base) return null;
  for (const candidate of [base, `${base}.ts`, `${base}.tsx`, path.join(base, "index.ts")]) {
    try {
      if (statSync(candidate).isFile()) return path.normalize(candidate);
    } catch {
      // not this one
    }
  }
  return null;
};
const appFiles = filesUnder("app").filter((file) => !file.startsWith(path.join("app", "generated")));
const fileEdges = new Map(
  appFiles.map((file) => [
    file,
    importsOf(file)
      .map((spec) => resolveImport(file, spec))
      .filter((target) => target?.startsWith(`app${path.sep}`)),
  ]),
);
const folderOf = (file) => file.split(path.sep).slice(0, 2).join("/");
const folderEdges = new Map();
for (const [file, targets] of fileEdges) {
  for (const target of targets) {
    if (folderOf(file) === folderOf(target) || !target.slice(4).includes(path.sep)) continue;
    if (!folderEdges.has(folderOf(file))) folderEdges.set(folderOf(file), new Map());
    folderEdges.get(folderOf(file)).set(folderOf(target), `${file} imports ${target}`);
  }
}
function findCycle(nodes, next) {
  const state = new Map();
  const stack = [];
  const visit = (node) => {
    state.set(node, "open");
    stack.push(node);
    for (const to of next(node)) {
      if (state.get(to) === "open") return [...stack.slice(stack.indexOf(to)), to];
      if (!state.has(to)) {
        const found = visit(to);
        if (found) return found;
      }
    }
    stack.pop();
    state.set(node, "done");
    return null;
  };
  for (const node of nodes)
    if (!state.has(node)) {
      const found = visit(node);
      if (found) return found;
    }
  return null;
}
const fileCycle = findCycle([...fileEdges.keys()], (file) => fileEdges.get(file) ?? []);
if (fileCycle) problems.push(`import cycle between files: ${fileCycle.join(" -> ")}`);
const folderCycle = findCycle([...folderEdges.keys()], (folder) => [...(folderEdges.get(folder)?.keys() ?? [])]);
if (folderCycle) {
  const steps = folderCycle.slice(1).map((to, i) => folderEdges.get(folderCycle[i]).get(to));
  problems.push(`import cycle between folders: ${folderCycle.join(" -> ")} (${steps.join("; ")})`);
}

if (problems.length) {
  console.error(problems.join("\n"));
  process.exit(1);
}
console.log("lint: no skipped tests, no machine paths, no import cycles; every route has an access rule and reads its form through app/forms");
