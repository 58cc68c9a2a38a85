import { accessSync, constants, existsSync, mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

/**
 * Makes the folder a client's pact is written to, and checks it can be written, before the client runs (a client
 * may take minutes, or create real things): a Node system error (ENOENT, EACCES, EROFS, ENOTDIR, EEXIST) says
 * why not. Pact's core makes the folder itself, but only after the run, and then reports no reason.
 * Each missing folder is made on its own: Node's `mkdirSync(path, { recursive: true })` never returns where a
 * folder can't be made in a parent that exists (`/proc/x`: ENOENT, the parent is there, ENOENT again...).
 */
export function preparePactDir(dir: string): void {
  const missing: string[] = [];
  for (let path = resolve(dir); !existsSync(path); path = dirname(path)) {
    missing.unshift(path);
    if (dirname(path) === path) break;
  }
  for (const path of missing) mkdirSync(path);
  accessSync(dir, constants.W_OK);
}
