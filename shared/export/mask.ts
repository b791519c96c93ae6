/** Masking profiles for ID numbers in exports and on screen (DESIGN §6). */
export const MASK_PROFILES = ['full', '6-4', '3-4'] as const;
export type MaskProfile = (typeof MASK_PROFILES)[number];

export const MASK_PROFILE_LABEL: Record<MaskProfile, string> = {
  full: '完整显示',
  '6-4': '保留前6位和后4位',
  '3-4': '保留前3位和后4位',
};

export function maskId(id: string | null | undefined, profile: MaskProfile): string {
  if (!id) return '';
  if (profile === 'full') return id;
  const head = profile === '6-4' ? 6 : 3;
  const tail = 4;
  if (id.length <= head + tail) return '*'.repeat(Math.max(0, id.length - tail)) + id.slice(-tail);
  return id.slice(0, head) + '*'.repeat(id.length - head - tail) + id.slice(-tail);
}
