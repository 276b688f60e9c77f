// Worker-thread bootstrap: register tsx (TypeScript loader) in this thread, then load
// the TypeScript worker. Plain .mjs so Node can start it without any loader.
import { register } from "tsx/esm/api";

register();
await import(new URL("./worker.ts", import.meta.url).href);
