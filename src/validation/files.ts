import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import type { GlobOptions } from 'tinyglobby';

export interface ExpandOptions {
  /** Expand a folder to its files matching this pattern (`*.json` for pacts); without it a folder is kept as given. */
  folders?: string;
}

/**
 * The files named on a command line, one expansion for every command that reads files (validate's records,
 * verify's pacts): each argument as given when it exists (or is `-`), otherwise expanded as a glob (a shell that
 * did not expand it, such as Windows' or a quoted pattern). A pattern that matches nothing is kept, so that it
 * is reported as a file that can't be read; with `folders`, a folder becomes its matching files, sorted.
 */
export function expandFileArguments(args: readonly string[], options: ExpandOptions = {}): string[] {
  const files: string[] = [];
  for (const arg of args) {
    if (options.folders !== undefined && existsSync(arg) && statSync(arg).isDirectory()) {
      files.push(...globSync(options.folders, { cwd: arg, onlyFiles: true, expandDirectories: false }).sort().map((f) => `${arg.replace(/\/+$/, '')}/${f}`));
      continue;
    }
    if (arg === '-' || existsSync(arg) || !isDynamicPattern(arg)) {
      files.push(arg);
      continue;
    }
    const matches = globSync(arg, { onlyFiles: true, expandDirectories: false }).sort();
    files.push(...(matches.length ? matches : [arg]));
  }
  return files;
}

/** The files of one run, each read once: the first name a file is given by, and a note per name given again. */
export interface DistinctFiles {
  files: string[];
  /** `b.ndjson is a.ndjson again: read once`, one per name left out, in the order given. */
  again: string[];
}

/**
 * `files` with each file kept once (outside finding R42): a file named twice (`a a`, a glob and a quoted glob, a
 * folder and a file in it, a symbolic link to it) is one file, told apart by device and inode as seed's lock tells
 * its reports apart, by the resolved path when it can't be read (it is then reported once); `-` is kept as given.
 * Reading it twice made each record a duplicate of itself for validate and each interaction run twice by verify.
 */
export function distinctFiles(files: readonly string[]): DistinctFiles {
  const first = new Map<string, string>();
  const kept: string[] = [];
  const again: string[] = [];
  for (const file of files) {
    if (file === '-') {
      kept.push(file);
      continue;
    }
    const key = identityOf(file);
    const earlier = first.get(key);
    if (earlier === undefined) {
      first.set(key, file);
      kept.push(file);
    } else {
      again.push(earlier === file ? `${file} is given twice: read once` : `${file} is ${earlier} again: read once`);
    }
  }
  return { files: kept, again };
}

function identityOf(file: string): string {
  try {
    const stat = statSync(file, { bigint: true });
    return `${stat.dev}:${stat.ino}`;
  } catch {
    return resolve(file);
  }
}

/** True when `arg` is a pattern (not an existing path) that matches no file: "no file matches" rather than "not found". */
export function matchesNothing(arg: string): boolean {
  return arg !== '-' && !existsSync(arg) && isDynamicPattern(arg) && globSync(arg, { onlyFiles: true, expandDirectories: false }).length === 0;
}

// tinyglobby is loaded only for an argument that is not a file or folder: `vppkit validate FILE` starts without it.
let loaded: typeof import('tinyglobby') | undefined;
const tinyglobby = (): typeof import('tinyglobby') => (loaded ??= require('tinyglobby') as typeof import('tinyglobby'));
const isDynamicPattern = (pattern: string): boolean => tinyglobby().isDynamicPattern(pattern);
const globSync = (pattern: string, options: GlobOptions): string[] => tinyglobby().globSync(pattern, options);
