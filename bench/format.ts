/** Plain-text tables and number formats for the benchmark's output. */

export const int = (n: number): string => n.toLocaleString('en-US');

export const seconds = (ms: number): string =>
  `${(ms / 1000).toLocaleString('en-US', { minimumFractionDigits: 1, maximumFractionDigits: 1 })} s`;

export const ratio = (x: number, digits = 2): string => (Number.isFinite(x) ? x.toFixed(digits) : 'n/a');

/** Left-aligns the first column, right-aligns the others; a row `['-']` is a rule. */
export function table(header: string[], rows: string[][]): string[] {
  const all = [header, ...rows.filter((r) => !(r.length === 1 && r[0] === '-'))];
  const widths = header.map((_, i) => Math.max(...all.map((r) => (r[i] ?? '').length)));
  const line = (r: string[]) =>
    r
      .map((cell, i) => (i === 0 ? cell.padEnd(widths[i] ?? 0) : cell.padStart(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  const rule = widths.map((w) => '-'.repeat(w)).join('  ');
  return [line(header), rule, ...rows.map((r) => (r.length === 1 && r[0] === '-' ? rule : line(r)))];
}
