/**
 * The explorer's virtual file system: in the browser the loader reads scenarios, counties,
 * data/parameters.yaml, data/lever-labels.yaml and data/seed-clauses.md from a map of
 * path → text handed over by the page (files.js, written by `yigongti explore`), not
 * from a disk. The browser bundle maps node:fs onto this map (shims/fs.ts), so the
 * loader (sim/scenario/load.ts) runs unchanged.
 *
 * Shipped files sit under VIRTUAL_ROOT (/yigongti, the package root as the bundle sees
 * it); files named on the command line keep their absolute path on the machine that
 * served the page.
 */
export const VIRTUAL_ROOT = "/yigongti";

const files = new Map<string, string>();
let cwd = VIRTUAL_ROOT;

/** Replace the file map (path → UTF-8 text) and the working directory paths are shown relative to. */
export function mountFiles(map: Readonly<Record<string, string>>, workingDir = VIRTUAL_ROOT): void {
  files.clear();
  for (const [p, text] of Object.entries(map)) files.set(p, text);
  cwd = workingDir;
}

export const virtualCwd = (): string => cwd;
export const virtualFile = (path: string): string | undefined => files.get(path);
export const virtualDirectory = (path: string): boolean => {
  const prefix = path.endsWith("/") ? path : `${path}/`;
  for (const p of files.keys()) if (p.startsWith(prefix)) return true;
  return false;
};
