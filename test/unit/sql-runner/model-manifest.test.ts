import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { sqlDir } from '../../../src/db/sql-dir';
import { MODEL_MANIFEST, manifestFilePath } from '../../../src/sql-runner/model-manifest';

describe('MODEL_MANIFEST', () => {
  const all = [...MODEL_MANIFEST.models, ...MODEL_MANIFEST.dataTests, MODEL_MANIFEST.figures];

  it('should point every entry at an existing SQL file', () => {
    for (const entry of all) expect(existsSync(manifestFilePath(entry))).toBe(true);
  });

  it('should run staging before intermediate before marts', () => {
    const layers = MODEL_MANIFEST.models.map((m) => ['staging', 'intermediate', 'marts'].indexOf(m.name.split('/')[0]));
    expect(layers.every((layer) => layer >= 0)).toBe(true);
    expect([...layers].sort((a, b) => a - b)).toEqual(layers);
  });

  it('should list every model, data test and figures file on disk, each once', () => {
    const onDisk = (dir: string) => readdirSync(join(sqlDir(), dir), { recursive: true })
      .map(String).filter((f) => f.endsWith('.sql')).map((f) => `${dir}/${f}`).sort();
    expect(all.map((e) => e.path).sort()).toEqual([...onDisk('models'), ...onDisk('tests'), ...onDisk('figures')].sort());
    expect(new Set(all.map((e) => e.name)).size).toBe(all.length);
  });

  it('should keep under sql/models/ only models, each writing the relation it is named after', () => {
    const files = readdirSync(join(sqlDir(), 'models'), { recursive: true }).map(String).filter((f) => f.endsWith('.sql'));
    for (const file of files) {
      const relation = file.replace(/^.*\//, '').replace(/\.sql$/, '');
      const sql = readFileSync(join(sqlDir(), 'models', file), 'utf8');
      expect({ file, writes: new RegExp(`\\b(create temp (table|view)|insert into|update) ${relation}\\b`).test(sql) })
        .toEqual({ file, writes: true });
    }
  });

  it('should start every model with a grain header naming its metrics.md section', () => {
    for (const entry of MODEL_MANIFEST.models) {
      expect(readFileSync(manifestFilePath(entry), 'utf8')).toMatch(/^-- grain: (.|\n-- )+?— metrics\.md §\d/);
    }
  });

  it('should name data tests assert_* and keep them to one select statement', () => {
    for (const entry of MODEL_MANIFEST.dataTests) {
      expect(entry.name).toMatch(/^tests\/assert_[a-z0-9_]+$/);
      const sql = readFileSync(manifestFilePath(entry), 'utf8').replace(/--.*$/gm, '').trim();
      expect(sql).not.toMatch(/;/);
      expect(sql).toMatch(/^(with|select)\b/);
    }
  });

  it('should use only PostgreSQL 15 functions', () => {
    for (const entry of all) {
      expect(readFileSync(manifestFilePath(entry), 'utf8')).not.toMatch(/\b(any_value|json_value|uuidv7)\s*\(/i);
    }
  });
});
