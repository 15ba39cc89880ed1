/*
 * Copyright 2026 The Paved Authors
 * SPDX-License-Identifier: Apache-2.0
 */
import { useLayoutEffect, useRef, useState } from 'react';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import { Bar, BarChart, CartesianGrid, Legend, Tooltip, XAxis, YAxis } from 'recharts';
import type { CostItem } from '../../api';
import { platformConsoleTranslationRef } from '../../translation';
import { shortRef, usd } from './format';

const COLORS = ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#8c564b', '#e377c2', '#7f7f7f', '#bcbd22', '#17becf'];

/**
 * Stacked monthly bars, one series per key (at most 9, the rest as "others").
 * @internal
 */
export function CostChart(props: { months: string[]; items: CostItem[]; label: string }) {
  const { t } = useTranslationRef(platformConsoleTranslationRef);
  const ref = useRef<HTMLDivElement>(null);
  const [width, setWidth] = useState(800);
  useLayoutEffect(() => {
    const w = ref.current?.clientWidth;
    if (w) setWidth(w);
  }, []);
  const top = props.items.slice(0, 9);
  const rest = props.items.slice(9);
  const series = [
    ...top.map(i => ({ id: i.key, name: i.title ?? shortRef(i.key), item: i })),
    ...(rest.length ? [{ id: '__others', name: t('costChart.others'), item: undefined }] : []),
  ];
  const data = props.months.map((month, m) => {
    const point: Record<string, number | string> = { month };
    for (const s of series) {
      point[s.id] = s.item
        ? s.item.monthlyCostUsd[m]?.usd ?? 0
        : Math.round(rest.reduce((sum, i) => sum + (i.monthlyCostUsd[m]?.usd ?? 0), 0) * 100) / 100;
    }
    return point;
  });
  return (
    <div ref={ref} role="img" aria-label={props.label} data-testid="cost-chart">
      <BarChart width={width} height={320} data={data} margin={{ top: 10, right: 20, left: 10, bottom: 0 }}>
        <CartesianGrid strokeDasharray="3 3" />
        <XAxis dataKey="month" />
        <YAxis tickFormatter={(v: number) => `$${v}`} />
        <Tooltip formatter={(v: number) => usd(v)} />
        <Legend />
        {series.map((s, i) => (
          <Bar key={s.id} dataKey={s.id} name={s.name} stackId="cost" fill={COLORS[i % COLORS.length]} isAnimationActive={false} />
        ))}
      </BarChart>
    </div>
  );
}
