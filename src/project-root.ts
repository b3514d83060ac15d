import { existsSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * The folder holding package.json, found by walking up from this file, so the same code finds
 * `sql/` and `schema.graphql` from `src/` under ts-jest, from `dist/src/` after a build, and in
 * the Docker image.
 */
export function projectRoot(): string {
  let dir = __dirname;
  while (!existsSync(`${dir}/package.json`)) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`package.json not found above ${__dirname}`);
    dir = parent;
  }
  return dir;
}
