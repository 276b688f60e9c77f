/**
 * Temporary YAML files for loader tests, in os.tmpdir(). Each suite gets its own
 * directory (removed by `cleanup`).
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export interface TempDir {
  dir: string;
  /** Write `text` to `name` inside the directory and return its absolute path. */
  write(name: string, text: string): string;
  cleanup(): void;
}

export function tempDir(prefix = "yigongti-test-"): TempDir {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return {
    dir,
    write(name, text) {
      const path = join(dir, name);
      writeFileSync(path, text, "utf8");
      return path;
    },
    cleanup() {
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
