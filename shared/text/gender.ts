import type { Gender } from '../domain/types';

/** 男/女, 男性/女性, the codes 1/2 of GB/T 2261.1 (and 0/9 unknown), M/F. */
export function parseGender(value: unknown): Gender | null {
  if (value === null || value === undefined) return null;
  const s = String(value).trim().toUpperCase();
  if (s === '男' || s === '男性' || s === '1' || s === 'M' || s === 'MALE' || s === '１') return 'M';
  if (s === '女' || s === '女性' || s === '2' || s === 'F' || s === 'FEMALE' || s === '２') return 'F';
  return null;
}
