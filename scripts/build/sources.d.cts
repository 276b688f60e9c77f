import type { Plugin } from "esbuild";

/** {path relative to the build's base directory (posix): sha256 hex} */
export type SourceHashes = Record<string, string>;

export function posix(path: string): string;
export function hashFile(path: string): string | null;
export function sourceHashes(paths: readonly string[], baseDir: string): SourceHashes;
export function changedSources(sources: SourceHashes, baseDir: string): string[];
export function listFiles(files: readonly string[], max?: number): string;
export function isProjectSource(path: string, root?: string): boolean;
export function importMetaUrlPlugin(options: { outDir: string; root: string; format: "esm" | "cjs"; cjsHelper?: string; onSource?: (path: string, sha256: string) => void }): Plugin;
export function writeFileAtomic(path: string, data: string | Uint8Array): void;
