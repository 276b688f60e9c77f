/** Types of scripts/build/engine.mjs (the engine build; see that file). */
export interface EngineOptions {
  /** the package root (default: this checkout) */
  root?: string;
  /** where builds go (default: ROOT/dist/engine) */
  dir?: string;
  /** bundle name → entry source relative to the root (default: cli, worker) */
  entries?: Record<string, string>;
}
export interface EngineBuild {
  /** content id: hash of the sources it was built from */
  id: string;
  /** the build's directory */
  dir: string;
  /** bundle name → absolute path of its .mjs */
  files: Record<string, string>;
  /** true when this call built it */
  built: boolean;
  ms?: number;
}
export const ROOT: string;
export const ENGINE_DIR: string;
export const ENTRIES: Record<string, string>;
export function freshEngineBuild(options?: EngineOptions): EngineBuild | null;
export function staleEngineSources(options?: EngineOptions): string[] | null;
export function buildEngine(options?: EngineOptions): Promise<EngineBuild>;
export function ensureEngineBuild(options?: EngineOptions): Promise<EngineBuild>;
