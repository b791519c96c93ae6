import { LineChart } from 'echarts/charts';
import { GridComponent, LegendComponent, MarkLineComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import { useEffect, useRef } from 'react';
import type { TrendResponse } from '../../../shared/ipc/contract';

echarts.use([LineChart, GridComponent, LegendComponent, MarkLineComponent, TooltipComponent, CanvasRenderer]);

/** 参保率 over the snapshots, one line per township (or village), with the target as a dashed line. */
export function TrendChart({ trend, target, height = 260 }: { trend: TrendResponse; target: number; height?: number }) {
  const el = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!el.current) return;
    const chart = echarts.init(el.current, undefined, { renderer: 'canvas' });
    const pct = (r: number | null) => (r === null ? null : Math.round(r * 10000) / 100);
    const lowest = Math.min(target, ...trend.series.flatMap((s) => s.rates.filter((r): r is number => r !== null)));
    chart.setOption({
      animation: false,
      grid: { left: 50, right: 24, top: 30, bottom: 24 },
      legend: { type: 'scroll', top: 0 },
      tooltip: { trigger: 'axis', valueFormatter: (v: number | null) => (v === null ? '—' : `${v.toFixed(2)}%`) },
      xAxis: { type: 'category', data: trend.points.map((p) => p.slice(0, 10)), boundaryGap: false },
      yAxis: {
        type: 'value',
        min: Math.max(0, Math.floor((lowest * 100 - 2) / 5) * 5),
        max: 100,
        axisLabel: { formatter: '{value}%' },
      },
      series: trend.series.map((s, i) => ({
        type: 'line',
        name: s.place || '（未填）',
        data: s.rates.map(pct),
        connectNulls: true,
        symbolSize: 6,
        ...(i === 0
          ? {
              markLine: {
                symbol: 'none',
                label: { formatter: `目标 ${(target * 100).toFixed(0)}%`, position: 'insideEndTop' },
                lineStyle: { color: '#cf1322', type: 'dashed' },
                data: [{ yAxis: target * 100 }],
              },
            }
          : {}),
      })),
    });
    const onResize = () => chart.resize();
    window.addEventListener('resize', onResize);
    return () => {
      window.removeEventListener('resize', onResize);
      chart.dispose();
    };
  }, [trend, target]);
  return <div ref={el} style={{ width: '100%', height }} data-testid="trend-chart" />;
}
