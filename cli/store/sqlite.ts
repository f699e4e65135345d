// Opens recordings with better-sqlite3 and applies the schema. Only cli/store/ imports better-sqlite3
// or this file's Db handle (checked by npm run lint:layers, .dependency-cruiser.cjs).

import Database from 'better-sqlite3';
import { readFileSync } from 'node:fs';
import { packagePath } from '../package-root.js';

export type Db = Database.Database;

let schemaText: string | null = null;

/** The recording schema (schemas/recording.sql), read once. */
export function recordingSchema(): string {
  schemaText ??= readFileSync(packagePath('schemas/recording.sql'), 'utf8');
  return schemaText;
}

/** Opens (or creates) a database file. */
export function openDatabase(
  path: string,
  options: { readonly?: boolean; create?: boolean } = {},
): Db {
  return new Database(path, {
    readonly: options.readonly ?? false,
    fileMustExist: !options.create,
  });
}
