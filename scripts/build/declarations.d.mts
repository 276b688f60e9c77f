/** Emit the type declarations of `entry` under `outDir`; returns the entry's declaration file. */
export function emitDeclarations(options: { entry: string; rootDir: string; outDir: string; what: string; nodeNextExtensions?: boolean }): string;
