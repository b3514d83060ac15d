import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * The project's `sql/` folder, found by walking up from this file, so the same code works
 * from `src/` under ts-jest and from `dist/src/` after a build (and in the Docker image).
 */
export function sqlDir(): string {
  let dir = __dirname;
  for (;;) {
    const candidate = join(dir, 'sql');
    if (existsSync(join(candidate, 'migrations'))) return candidate;
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`sql/ folder not found above ${__dirname}`);
    dir = parent;
  }
}
