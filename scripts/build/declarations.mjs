/**
 * Type declarations of an entry and everything it imports, emitted with the project's own
 * TypeScript — shared by the package build (scripts/build/lib.mjs, dist/lib/types) and the
 * notebook library (scripts/notebooks/build-lib.ts), which compile the same sources with
 * the same options.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";

/** The project whose TypeScript and @types compile the declarations (whatever the entry's root). */
const PROJECT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");

/**
 * Emit the declarations of `entry` under `outDir` (mirroring `rootDir`); throw, naming
 * `what`, on any type error. With `nodeNextExtensions`, relative imports in them get
 * explicit extensions (see withExtensions). Returns the entry's declaration file.
 */
export function emitDeclarations({ entry, rootDir, outDir, what, nodeNextExtensions = false }) {
  const ts = createRequire(join(PROJECT, "package.json"))("typescript");
  const program = ts.createProgram([entry], {
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    lib: ["lib.es2022.d.ts"],
    types: ["node"],
    typeRoots: [join(PROJECT, "node_modules/@types")],
    strict: true,
    esModuleInterop: true,
    resolveJsonModule: true,
    skipLibCheck: true,
    declaration: true,
    emitDeclarationOnly: true,
    rootDir,
    outDir,
  });
  const result = program.emit();
  const problems = [...ts.getPreEmitDiagnostics(program), ...result.diagnostics].filter((d) => d.category === ts.DiagnosticCategory.Error);
  if (problems.length) throw new Error(`type errors in ${what}:\n${ts.formatDiagnostics(problems, { getCanonicalFileName: (f) => f, getCurrentDirectory: () => rootDir, getNewLine: () => "\n" })}`);
  if (nodeNextExtensions) for (const file of listDeclarations(outDir)) writeFileSync(file, withExtensions(readFileSync(file, "utf8"), dirname(file)));
  return join(outDir, relative(rootDir, entry)).replace(/\.ts$/, ".d.ts");
}

function listDeclarations(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? listDeclarations(join(dir, e.name)) : e.name.endsWith(".d.ts") ? [join(dir, e.name)] : []));
}

/**
 * Relative imports in the declarations with explicit extensions (`./scenario/load` →
 * `./scenario/load.js`, `./study` → `./study/index.js`): the sources are written for
 * "Bundler" resolution, but a project resolving "NodeNext" finds an extensionless import
 * nowhere and silently types the whole API as `any`.
 */
function withExtensions(text, dir) {
  return text.replace(/((?:from\s+|import\()\s*)(["'])(\.{1,2}\/[^"']+)\2/g, (all, lead, quote, spec) => {
    if (/\.(js|mjs|cjs|json)$/.test(spec)) return all;
    const target = existsSync(join(dir, `${spec}.d.ts`)) ? `${spec}.js` : existsSync(join(dir, spec, "index.d.ts")) ? `${spec}/index.js` : null;
    if (!target) throw new Error(`package types: cannot resolve ${spec} from ${dir}`);
    return `${lead}${quote}${target}${quote}`;
  });
}
