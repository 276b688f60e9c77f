/**
 * The `process` global for the explorer's browser bundle (esbuild inject): the working
 * directory paths are shown relative to (the virtual file map's), an empty environment.
 */
import { virtualCwd } from "../vfs";

export const process = { cwd: virtualCwd, env: {} as Record<string, string | undefined>, version: "browser", platform: "browser", versions: {} as Record<string, string> };
