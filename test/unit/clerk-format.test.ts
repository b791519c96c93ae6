import { describe, expect, it } from 'vitest';
import { formatCount, formatDateTime, formatPercent } from '../../shared/text/clerk-format';

describe('numbers and times as a clerk reads them on every page', () => {
  it('writes counts with thousands separators and no decimals', () => {
    expect(formatCount(0)).toBe('0');
    expect(formatCount(999)).toBe('999');
    expect(formatCount(20000)).toBe('20,000');
    expect(formatCount(1234567)).toBe('1,234,567');
    expect(formatCount(Number.NaN)).toBe('—');
  });

  it('writes shares as percentages with one decimal unless asked otherwise', () => {
    expect(formatPercent(0.953)).toBe('95.3%');
    expect(formatPercent(1)).toBe('100.0%');
    expect(formatPercent(0.95, 0)).toBe('95%');
  });

  it('writes a time as 2026-11-27 10:05 in local time, from a Date or from ISO text', () => {
    const local = new Date(2026, 10, 27, 10, 5, 59);
    expect(formatDateTime(local)).toBe('2026-11-27 10:05');
    expect(formatDateTime(local.toISOString())).toBe('2026-11-27 10:05');
    expect(formatDateTime(new Date(2026, 0, 3, 7, 0))).toBe('2026-01-03 07:00');
  });

  it('leaves text that is no date as it is, rather than "Invalid Date"', () => {
    expect(formatDateTime('上次导入')).toBe('上次导入');
  });
});
