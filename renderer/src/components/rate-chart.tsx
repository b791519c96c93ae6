import { BarChart } from 'echarts/charts';
import { GridComponent, MarkLineComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import { useEffect, useRef } from 'react';

echarts.use([BarChart, GridComponent, MarkLineComponent, TooltipComponent, CanvasRenderer]);

/** Participation rate per township or village as bars, with the target as a line. */
export function RateChart({ labels, rates, target }: { labels: string[]; rates: number[]; target: number }) {
  const el = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!el.current) return;
    const chart = echarts.init(el.current, undefined, { renderer: 'canvas' });
    chart.setOption({
      animation: false,
      grid: { left: 50, right: 20, top: 20, bottom: 60 },
      tooltip: { trigger: 'axis', valueFormatter: (v: number) => `${v.toFixed(2)}%` },
      xAxis: { type: 'category', data: labels, axisLabel: { rotate: labels.length > 8 ? 40 : 0 } },
      yAxis: {
        type: 'value',
        min: (v: { min: number }) => Math.max(0, Math.floor(v.min - 5)),
        max: 100,
        axisLabel: { formatter: '{value}%' },
      },
      series: [
        {
          type: 'bar',
          data: rates.map((r) => ({
            value: Math.round(r * 10000) / 100,
            itemStyle: { color: r >= target ? '#52c41a' : '#fa8c16' },
          })),
          markLine: {
            symbol: 'none',
            label: { formatter: `目标 ${(target * 100).toFixed(0)}%` },
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
  return <div ref={el} style={{ width: '100%', height: 300 }} data-testid="rate-chart" />;
}
