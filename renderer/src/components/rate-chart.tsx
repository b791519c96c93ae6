import { BarChart } from 'echarts/charts';
import { GridComponent, MarkLineComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import { useEffect, useRef } from 'react';

echarts.use([BarChart, GridComponent, MarkLineComponent, TooltipComponent, CanvasRenderer]);

/**
 * Where the rate axis starts: a round ten below the lowest rate and the target, so no bar is cut off at its foot
 * and the axis says in its name where it starts (a bar from 80% is not half the county).
 */
export function rateAxisStart(rates: number[], target: number): number {
  const lowest = Math.min(target, ...rates) * 100;
  return Math.max(0, Math.floor((lowest - 2) / 10) * 10);
}

/** Participation rate per township or village as bars, with the target as a line. */
export function RateChart({ labels, rates, target }: { labels: string[]; rates: number[]; target: number }) {
  const el = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!el.current) return;
    const chart = echarts.init(el.current, undefined, { renderer: 'canvas' });
    const start = rateAxisStart(rates, target);
    chart.setOption({
      animation: false,
      grid: { left: 56, right: 24, top: 36, bottom: 60 },
      tooltip: { trigger: 'axis', valueFormatter: (v: number) => `${v.toFixed(2)}%` },
      xAxis: { type: 'category', data: labels, axisLabel: { rotate: labels.length > 8 ? 40 : 0 } },
      yAxis: {
        type: 'value',
        name: start > 0 ? `参保率（纵轴从 ${start}% 起）` : '参保率',
        nameTextStyle: { align: 'left' },
        min: start,
        max: 100,
        axisLabel: { formatter: '{value}%' },
      },
      series: [
        {
          type: 'bar',
          // A few villages would otherwise be drawn as wide blocks.
          barMaxWidth: 72,
          data: rates.map((r) => ({
            value: Math.round(r * 10000) / 100,
            itemStyle: { color: r >= target ? '#52c41a' : '#fa8c16' },
          })),
          markLine: {
            symbol: 'none',
            // Inside the plot, above the line at its right end: never cut off by the chart's edge.
            label: {
              formatter: `目标 ${(target * 100).toFixed(0)}%`,
              position: 'insideEndTop',
              color: '#cf1322',
            },
            lineStyle: { color: '#cf1322', type: 'dashed' },
            data: [{ yAxis: target * 100 }],
          },
        },
      ],
    });
    const onResize = () => chart.resize();
    window.addEventListener('resize', onResize);
    return () => {
      window.removeEventListener('resize', onResize);
      chart.dispose();
    };
  }, [labels, rates, target]);
  return (
    <div
      ref={el}
      style={{ width: '100%', height: 300 }}
      data-testid="rate-chart"
      data-axis-start={rateAxisStart(rates, target)}
    />
  );
}
