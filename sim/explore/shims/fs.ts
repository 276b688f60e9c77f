/**
 * node:fs for the explorer's browser bundle: the reads the loader makes (existsSync,
 * statSync, readFileSync, realpathSync) over the virtual file map (../vfs.ts). Anything
 * else a bundled module might call is absent on purpose, so a write cannot silently
 * succeed in the page.
 */
import { virtualDirectory, virtualFile } from "../vfs";

function notFound(path: string): Error {
  return Object.assign(new Error(`ENOENT: no such file in the explorer's files: ${path}`), { code: "ENOENT" });
}

export function existsSync(path: string): boolean {
  return virtualFile(String(path)) !== undefined || virtualDirectory(String(path));
}

export function statSync(path: string) {
  const file = virtualFile(String(path)) !== undefined;
  if (!file && !virtualDirectory(String(path))) throw notFound(String(path));
  const no = () => false;
  return { isFile: () => file, isDirectory: () => !file, isFIFO: no, isCharacterDevice: no, isBlockDevice: no, isSocket: no, isSymbolicLink: no };
}

export function readFileSync(path: string, encoding?: string | { encoding?: string }): string | Uint8Array {
  const text = virtualFile(String(path));
  if (text === undefined) throw notFound(String(path));
  const enc = typeof encoding === "string" ? encoding : encoding?.encoding;
  return enc ? text : new TextEncoder().encode(text);
}

export const realpathSync = (path: string): string => String(path);

export default { existsSync, statSync, readFileSync, realpathSync };
