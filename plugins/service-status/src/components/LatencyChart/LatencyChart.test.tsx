import { screen } from '@testing-library/react';
import { renderInTestApp } from '@backstage/frontend-test-utils';
import { LatencyChart, toHourlySeries } from './LatencyChart';

// Rendering a whole page can take longer than jest's default 5 s on a busy 2-core CI machine.
jest.setTimeout(30_000);

describe('toHourlySeries', () => {
  it('fills hours without samples with gaps', () => {
    const series = toHourlySeries([
      { hour: '2026-11-22T10:00:00.000Z', p50Ms: 15, p95Ms: 55, samples: 60 },
      { hour: '2026-11-22T08:00:00.000Z', p50Ms: 12, p95Ms: 40, samples: 60 },
    ]);
    expect(series.map(p => [new Date(p.time).toISOString(), p.p50, p.p95])).toEqual([
      ['2026-11-22T08:00:00.000Z', 12, 40],
      ['2026-11-22T09:00:00.000Z', null, null],
      ['2026-11-22T10:00:00.000Z', 15, 55],
    ]);
  });

  it('is empty without buckets', () => {
    expect(toHourlySeries([])).toEqual([]);
  });
});

describe('LatencyChart', () => {
  it('draws p50 and p95 lines and summarises the latest hour', async () => {
    renderInTestApp(
      <LatencyChart
        width={600}
        buckets={[
          { hour: '2026-11-22T08:00:00.000Z', p50Ms: 12, p95Ms: 40, samples: 60 },
          { hour: '2026-11-22T09:00:00.000Z', p50Ms: 14.4, p95Ms: 61.6, samples: 60 },
        ]}
      />,
    );
    const chart = await screen.findByTestId('latency-chart');
    expect(chart.querySelectorAll('.recharts-line')).toHaveLength(2);
    expect(screen.getByText(/p50 14 ms, p95 62 ms/)).toBeInTheDocument();
  });

  it('says so when there are no samples', async () => {
    renderInTestApp(<LatencyChart buckets={[]} />);
    expect(await screen.findByText('No latency samples yet.')).toBeInTheDocument();
  });
});
