import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { manifestFilePath, type ManifestEntry } from './model-manifest';

/** A manifest entry's SQL as read for this run, with the sha256 recorded in sync_runs.models. */
export interface SqlFile {
  name: string;
  sql: string;
  checksum: string;
}

/** Reads the file on every run, so the checksum recorded is the SQL that actually ran. */
export function readSqlFile(entry: ManifestEntry): SqlFile {
  const sql = readFileSync(manifestFilePath(entry), 'utf8');
  return { name: entry.name, sql, checksum: createHash('sha256').update(sql).digest('hex') };
}
