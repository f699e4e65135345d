// Opens recordings with better-sqlite3 (the only file that imports it) and applies the schema.

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
export function openDatabase(path: string, options: { readonly?: boolean; create?: boolean } = {}): Db {
  return new Database(path, { readonly: options.readonly ?? false, fileMustExist: !options.create });
}
