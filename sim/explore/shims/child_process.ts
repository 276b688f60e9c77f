/** node:child_process for the explorer's browser bundle: no processes in a page (the manifest's git lookup then reports none). */
export function execFileSync(): never {
  throw new Error("explorer bundle: no child processes in the browser");
}
export default { execFileSync };
