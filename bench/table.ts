export interface Row {
  benchmark: string;
  figure: string;
  baseline: string;
  ratio: string;
  target: string;
}

export function printTable(rows: Row[]): void {
  const header: Row = { benchmark: 'benchmark', figure: 'figure', baseline: 'baseline', ratio: 'ratio', target: 'target' };
  const keys = Object.keys(header) as (keyof Row)[];
  const widths = keys.map((key) => Math.max(...[header, ...rows].map((row) => row[key].length)));
  const line = (row: Row): string => `| ${keys.map((key, i) => row[key].padEnd(widths[i])).join(' | ')} |`;
  console.log(line(header));
  console.log(`|${widths.map((width) => '-'.repeat(width + 2)).join('|')}|`);
  for (const row of rows) console.log(line(row));
}

export const perSecond = (count: number, ns: bigint): number => (count * 1e9) / Number(ns);
export const format = (value: number): string =>
  value >= 100 ? Math.round(value).toLocaleString('en-US') : value.toFixed(2);
