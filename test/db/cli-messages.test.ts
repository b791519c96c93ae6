import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { EXIT_CODE } from '../../electron/core/cli/exit-codes';
import { cli } from '../helpers/run-cli';
import { tempDir, writeCsv } from '../helpers/files';

const dir = tempDir('canbao-cli-words-');
const ws = join(dir, 'w.canbao');
const empty = join(dir, '空文件.canbao');
const folder = join(dir, '一个文件夹');

beforeAll(async () => {
  writeFileSync(empty, '');
  mkdirSync(folder);
  writeFileSync(join(dir, 'passwd.canbao'), 'root:x:0:0:root:/root:/bin/bash\n');
  // A real workspace: import creates it.
  const roll = writeCsv(join(dir, '底册.csv'), [
    ['姓名', '公民身份号码'],
    ['王芳', ''],
  ]);
  const r = await cli('import', '--workspace', ws, '--kind', 'population', '--year', '2026', roll);
  expect(r.code, r.err).toBe(0);
});

// What a clerk types wrong, and the one thing each must say back: Chinese words, no English, no field code names,
// no SQLite or Node text, and the exit code of its kind.
const CASES: { args: () => string[]; says: string; code: number }[] = [
  { args: () => ['match', '--bogus'], says: '无法识别的选项“--bogus”', code: EXIT_CODE.badInput },
  {
    args: () => ['review', '--workspace', ws, '--list', '--limit', '-5'],
    says: '后面缺少值',
    code: EXIT_CODE.badInput,
  },
  { args: () => ['find', '--workspace', ws, '--limit', '0', '王'], says: '条数应不小于 1', code: EXIT_CODE.badInput },
  { args: () => ['review', '--workspace', ws, '--decide', 'abc', 'same'], says: '待复核对的编号应为数字', code: 2 },
  { args: () => ['find', '--workspace', ws, '--mask', 'bogus', '王'], says: '脱敏方式应为', code: EXIT_CODE.badInput },
  { args: () => ['settings', '--workspace', ws, '--set', 'targetRate=5'], says: '参保率目标应在', code: 2 },
  { args: () => ['review', '--workspace', ws, '--decide', '99999', 'same'], says: '不存在', code: EXIT_CODE.notFound },
  { args: () => ['match', '--workspace', empty], says: '不是参保比对的工作区文件', code: EXIT_CODE.notAWorkspace },
  { args: () => ['match', '--workspace', folder], says: '它是文件夹', code: EXIT_CODE.notAWorkspace },
  { args: () => ['status', '--workspace', join(dir, 'passwd.canbao')], says: '不是参保比对的工作区文件', code: 4 },
];

describe('命令行的错误提示只用中文', () => {
  it.each(CASES.map((c) => ({ ...c, name: c.args().slice(0, 2).join(' ') + ' … ' + c.says })))(
    '$name',
    async ({ args, says, code }) => {
      const r = await cli(...args());
      expect(r.code).toBe(code);
      expect(r.err).toContain(says);
      // Latin letters only where the clerk typed them or a value to choose from is named.
      const words = r.err.replace(/--[a-z]+|full|6-4|3-4|canbao|bogus|targetRate|\.canbao|passwd/g, '');
      expect(words).not.toMatch(/[A-Za-z]{2,}/);
    },
  );

  it('prints the usage for --help and exits 0', async () => {
    const r = await cli('--help');
    expect(r.code).toBe(0);
    expect(r.out).toContain('canbao match --workspace');
  });
});
