import { writeFileSync } from 'node:fs';

/** One line of the table: a measured figure against a floor measured in the same run. */
export interface BenchFigure {
  stage: string;
  figure: string;
  /** The measured value and its unit. */
  value: number;
  unit: string;
  /** The floor it is compared with, in the same unit, and what that floor is. */
  baseline: number | null;
  baselineLabel: string;
  /** value / baseline (for throughputs: baseline / value, so higher is always worse). */
  ratio: number | null;
  /** Human-readable target, e.g. "ratio <= 1.1"; empty when the figure is informational. */
  target: string;
  /** true/false against the target; null when there is no target. */
  pass: boolean | null;
  note?: string;
}

export class BenchReport {
  readonly figures: BenchFigure[] = [];
  readonly details: Record<string, unknown> = {};
  readonly startedAt = new Date();

  add(figure: BenchFigure): BenchFigure {
    this.figures.push(figure);
    process.stderr.write(`[bench] ${line(figure)}\n`);
    return figure;
  }

  detail(key: string, value: unknown): void {
    this.details[key] = value;
  }

  table(): string {
    const header = ['stage', 'figure', 'value', 'baseline', 'ratio', 'target', 'pass'];
    const rows = this.figures.map((f) => [
      f.stage,
      f.figure,
      `${fmt(f.value)} ${f.unit}`,
      f.baseline === null ? '-' : `${fmt(f.baseline)} ${f.unit} (${f.baselineLabel})`,
      f.ratio === null ? '-' : `${fmt(f.ratio)}x`,
      f.target || '-',
      f.pass === null ? 'info' : f.pass ? 'PASS' : 'FAIL',
    ]);
    const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
    const render = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`;
    const rule = `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`;
    const notes = this.figures.filter((f) => f.note).map((f) => `- ${f.stage} / ${f.figure}: ${f.note}`);
    return [render(header), rule, ...rows.map(render), '', ...notes].join('\n');
  }

  write(path: string, extra: Record<string, unknown>): void {
    writeFileSync(path, `${JSON.stringify({
      startedAt: this.startedAt.toISOString(),
      finishedAt: new Date().toISOString(),
      ...extra,
      figures: this.figures,
      details: this.details,
    }, null, 2)}\n`);
  }
}

function line(f: BenchFigure): string {
  const base = f.baseline === null ? '' : ` vs ${fmt(f.baseline)} ${f.unit} (${f.baselineLabel})`;
  const ratio = f.ratio === null ? '' : ` = ${fmt(f.ratio)}x`;
  const verdict = f.pass === null ? '' : f.pass ? ' PASS' : ' FAIL';
  return `${f.stage} / ${f.figure}: ${fmt(f.value)} ${f.unit}${base}${ratio}${f.target ? ` [${f.target}]` : ''}${verdict}`;
}

export function fmt(n: number): string {
  if (!Number.isFinite(n)) return String(n);
  const abs = Math.abs(n);
  if (abs >= 1000) return Math.round(n).toLocaleString('en-US');
  if (abs >= 100) return n.toFixed(0);
  if (abs >= 10) return n.toFixed(1);
  return n.toFixed(2);
}

export function ratio(value: number, baseline: number): number {
  return baseline > 0 ? value / baseline : Number.NaN;
}

/** Percentile (nearest rank) of an unsorted sample, in its unit. */
export function percentile(sample: readonly number[], p: number): number {
  if (sample.length === 0) return Number.NaN;
  const sorted = [...sample].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank];
}

export function seconds(startMs: number): number {
  return (performance.now() - startMs) / 1000;
}

export function collectGarbage(): void {
  (globalThis as { gc?: () => void }).gc?.();
}
