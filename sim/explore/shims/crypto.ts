/**
 * node:crypto for the explorer's browser bundle: createHash("sha256") — all the bundled
 * modules use (the scenario content hash, snapshot and job keys) — on @noble/hashes, an
 * audited dependency-free implementation. Web Crypto cannot stand in: its digest is
 * asynchronous and the loader hashes synchronously. The same bytes give the same hex
 * digest as Node (test/explore/hash.test.ts), so a scenario set in the page has the hash
 * the CLI gives its saved file.
 */
import { sha256 } from "@noble/hashes/sha2.js";
import { bytesToHex } from "@noble/hashes/utils.js";

export function createHash(algorithm: string) {
  if (algorithm !== "sha256") throw new Error(`explorer bundle: createHash(${JSON.stringify(algorithm)}) is not available (only sha256)`);
  const h = sha256.create();
  const hash = {
    update(data: string | Uint8Array) {
      h.update(typeof data === "string" ? new TextEncoder().encode(data) : data);
      return hash;
    },
    digest(encoding?: string) {
      const bytes = h.digest();
      if (encoding === "hex") return bytesToHex(bytes);
      if (encoding === undefined) return bytes;
      throw new Error(`explorer bundle: digest(${JSON.stringify(encoding)}) is not available (only hex)`);
    },
  };
  return hash;
}

export function randomBytes(n: number): Uint8Array {
  return crypto.getRandomValues(new Uint8Array(n));
}

export default { createHash, randomBytes };
