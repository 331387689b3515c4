import { describe, expect, it } from 'vitest';
import { chart, collect, table } from '../../scripts/bench.ts';

describe('the benchmark table', () => {
  it('collects the figures and series a bench prints, and nothing else', () => {
    const output = [
      'per call: 0.41 ms vs 0.33 ms',
      'BENCH {"figure":"client per call","result":1.24,"unit":"×","target":"≤ 1.25×","anchor":"raw fetch"}',
      'BENCH_SERIES {"name":"bulk-requests","points":[[0,0],[100,10]],"bound":[[0,0],[100,10]]}',
      '  BENCH not json',
    ].join('\n');
    const { figures, series } = collect(output, 'core');
    expect(figures).toEqual([
      { figure: 'client per call', result: 1.24, unit: '×', target: '≤ 1.25×', anchor: 'raw fetch', bench: 'core' },
    ]);
    expect(series.map((s) => s.name)).toEqual(['bulk-requests']);
  });

  it('prints one row per figure with its target and anchor, pipes escaped', () => {
    const text = table([{ figure: 'a | b', result: 3.14259, unit: '×', target: '≤ 1.5×', anchor: 'node -e 0' }]);
    expect(text.split('\n')).toHaveLength(3);
    expect(text).toContain('| a \\| b | 3.143× | ≤ 1.5× | node -e 0 |');
  });

  it('draws the requests and the bound as two lines of one SVG', () => {
    const svg = chart({
      name: 'bulk-requests',
      points: [
        [0, 0],
        [10, 5],
      ],
      bound: [
        [0, 0],
        [10, 6],
      ],
    });
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg.match(/<polyline/g)).toHaveLength(2);
  });
});
