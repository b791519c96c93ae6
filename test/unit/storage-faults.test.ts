import { describe, expect, it } from 'vitest';
import { storageFault, withStorageFaults } from '../../electron/core/storage-faults';

const err = (code: string) => Object.assign(new Error('English text from the OS'), { code });

describe('a disk that refuses is said in the clerk’s words', () => {
  it.each([
    ['ENOSPC', '磁盘空间已满'],
    ['SQLITE_FULL', '磁盘空间已满'],
    ['EROFS', '只读'],
    ['SQLITE_READONLY_DBMOVED', '只读'],
    ['EACCES', '没有权限'],
    ['EBUSY', '正被其他程序占用'],
    ['ENAMETOOLONG', '路径太长'],
    ['SQLITE_IOERR_WRITE', '磁盘读写出错'],
  ])('%s → %s, naming the file and no English', (code, words) => {
    const e = storageFault(err(code), '/data/城关镇 未参保台账.xlsx', 'write');
    expect(e?.kind).toBe('storageFault');
    expect(e?.message).toContain(words);
    expect(e?.message).toContain('城关镇 未参保台账.xlsx');
    // The file's own name and the programs a clerk knows are the only Latin letters allowed.
    expect(e?.message.replace('未参保台账.xlsx', '').replace(/Excel|WPS/g, '')).not.toMatch(/[A-Za-z]{3,}/);
  });

  it('leaves other failures alone', () => {
    expect(storageFault(err('ENOENT'), '/x', 'read')).toBeNull();
    expect(storageFault(new TypeError('bug'), '/x', 'read')).toBeNull();
    const bug = new TypeError('bug');
    expect(() =>
      withStorageFaults('/x', 'read', () => {
        throw bug;
      }),
    ).toThrow(bug);
    expect(() =>
      withStorageFaults('/x/台账.csv', 'write', () => {
        throw err('ENOSPC');
      }),
    ).toThrow(/台账\.csv.*磁盘空间已满/);
  });
});
