/**
 * A file name Windows accepts, from words that come from the data (a township's name in a ledger's file name).
 * Windows refuses `\ / : * ? " < > |` and control characters in a name, and drops dots and spaces at its end; on any
 * system a `/` would make the name a folder that does not exist. Each refused character becomes its full-width form
 * (城关镇/开发区 → 城关镇／开发区), which reads the same to a clerk. Reserved names (CON, NUL…) need no care here:
 * every exported name has a suffix after the township (城关镇_未参保人员台账_2026).
 */
const FULL_WIDTH: Record<string, string> = {
  '\\': '＼',
  '/': '／',
  ':': '：',
  '*': '＊',
  '?': '？',
  '"': '＂',
  '<': '＜',
  '>': '＞',
  '|': '｜',
};

export function fileNameSafe(name: string): string {
  const safe = name.replace(/[\\/:*?"<>|]/g, (c) => FULL_WIDTH[c]!).replace(/[\u0000-\u001f\u007f]/g, '');
  return safe.replace(/[. ]+$/, '') || '未命名';
}
