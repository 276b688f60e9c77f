/** node:url for the explorer's browser bundle: file URLs of the virtual files (../vfs.ts). */
export const fileURLToPath = (url: string | URL): string => decodeURIComponent(new URL(String(url)).pathname);
export const pathToFileURL = (path: string): URL => new URL(`file://${encodeURI(path)}`);
export default { fileURLToPath, pathToFileURL };
