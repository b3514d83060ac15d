import { join } from 'node:path';
import { projectRoot } from '../project-root';

/** The project's `sql/` folder: migrations, models and data tests. */
export function sqlDir(): string {
  return join(projectRoot(), 'sql');
}
