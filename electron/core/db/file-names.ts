/**
 * A file name or path as this system compares it. Windows (NTFS, FAT on a USB stick) and macOS (APFS by default)
 * ignore case, so a workspace opened once as D:\参保\CG2026.canbao and once as d:\参保\cg2026.CANBAO is one file, with
 * one set of backups and one line in the recent list. Linux compares exactly.
 */
export function fileNameKey(name: string, platform: NodeJS.Platform = process.platform): string {
  return platform === 'win32' || platform === 'darwin' ? name.toLowerCase() : name;
}
