import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Workspace } from '../../electron/core/db/workspace';
import { createBackup, listBackups, restoreBackup } from '../../electron/core/db/workspace-backup';
import { EXIT_CODE } from '../../electron/core/cli/exit-codes';
import { generateCounty } from '../fixtures/county-generator';
import { tempDir } from '../helpers/files';
import { cli } from '../helpers/run-cli';

const dir = tempDir('canbao-encrypt-');
const PASSWORD = '城关镇2026!';

/** Every byte the workspace keeps on disk: the file and, while it exists, its WAL. */
function bytesOnDisk(path: string): Buffer {
  return Buffer.concat([path, `${path}-wal`].filter(existsSync).map((p) => readFileSync(p)));
}

/** What a lost laptop would give away: the ID numbers and names stored in a workspace. */
function secretsOf(path: string, password?: string): string[] {
  const ws = Workspace.open(path, { readonly: true, password });
  try {
    const rows = ws.db
      .prepare('SELECT id_number AS id, name FROM record WHERE id_number IS NOT NULL ORDER BY id LIMIT 300')
      .all() as { id: string; name: string }[];
    return rows.flatMap((r) => [r.id, r.name]).filter((s) => s.length >= 3);
  } finally {
    ws.close();
  }
}

const leaked = (bytes: Buffer, secrets: string[]) => secrets.filter((s) => bytes.includes(Buffer.from(s, 'utf8')));

function withPassword<T>(password: string | undefined, run: () => Promise<T>): Promise<T> {
  const before = process.env.CANBAO_PASSWORD;
  if (password === undefined) delete process.env.CANBAO_PASSWORD;
  else process.env.CANBAO_PASSWORD = password;
  return run().finally(() => {
    if (before === undefined) delete process.env.CANBAO_PASSWORD;
    else process.env.CANBAO_PASSWORD = before;
  });
}

afterEach(() => {
  delete process.env.CANBAO_NEW_PASSWORD;
});

describe('加密的工作区：丢了电脑或U盘，也读不出身份证号和姓名', () => {
  it('holds no readable ID number or name, where a plain workspace of the same rolls holds them all', async () => {
    const { truth } = await generateCounty({ people: 400, seed: 91, out: join(dir, 'county') });
    const plain = join(dir, 'plain.canbao');
    const secret = join(dir, 'secret.canbao');
    for (const f of truth.files) {
      const args = ['import', '--kind', f.kind, '--year', '2026', f.path];
      expect((await withPassword(undefined, () => cli(...args, '--workspace', plain))).code).toBe(0);
      const r = await withPassword(PASSWORD, () => cli(...args, '--workspace', secret));
      expect(r.code, r.err).toBe(0);
    }
    expect((await withPassword(PASSWORD, () => cli('match', '--workspace', secret))).code).toBe(0);

    const secrets = secretsOf(plain);
    expect(secrets.length).toBeGreaterThan(400);
    // The search can find them: in the plain file, every one of them is there to read.
    expect(leaked(bytesOnDisk(plain), secrets)).toEqual(secrets);
    expect(secretsOf(secret, PASSWORD).sort()).toEqual([...secrets].sort());
    expect(leaked(bytesOnDisk(secret), secrets)).toEqual([]);
    expect(bytesOnDisk(secret).subarray(0, 15).toString('latin1')).not.toBe('SQLite format 3');

    // The same rolls, the same answers.
    const status = async (ws: string, pw?: string) =>
      JSON.parse((await withPassword(pw, () => cli('status', '--workspace', ws, '--json'))).out);
    expect((await status(secret, PASSWORD)).records).toBe((await status(plain)).records);
    expect((await status(secret, PASSWORD)).encrypted).toBe(true);
    expect((await status(plain)).encrypted).toBe(false);
  });

  it('asks for the password, says when it is wrong, and never takes it as a command-line argument', async () => {
    const path = join(dir, 'ask.canbao');
    Workspace.open(path, { create: true, password: PASSWORD }).close();

    expect(() => Workspace.open(path)).toThrow(/已加密，请输入密码/);
    expect(() => Workspace.open(path, { password: '城关镇2025!' })).toThrow(/密码不正确/);
    const ok = Workspace.open(path, { password: PASSWORD });
    expect(ok.encrypted).toBe(true);
    ok.close();

    const missing = await withPassword(undefined, () => cli('status', '--workspace', path));
    expect(missing.code).toBe(EXIT_CODE.workspacePassword);
    expect(missing.err).toMatch(/已加密，请输入密码/);
    const wrong = await withPassword('123456', () => cli('status', '--workspace', path));
    expect(wrong.code).toBe(12);
    expect(wrong.err).toMatch(/密码不正确/);
    expect(wrong.err).not.toMatch(/SQLITE|not a database|at .*\.ts/);
    const argument = await cli('status', '--workspace', path, '--password', PASSWORD);
    expect(argument.code).toBe(EXIT_CODE.badInput);
    expect(argument.err).toMatch(/无法识别的选项“--password”/);
  });

  it('converts a plain workspace, changes the password only with the current one, and keeps backups encrypted', async () => {
    const { truth } = await generateCounty({ people: 200, seed: 92, out: join(dir, 'county2') });
    const path = join(dir, 'convert.canbao');
    const base = truth.files.find((f) => f.kind === 'population')!;
    expect((await cli('import', '--workspace', path, '--kind', 'population', '--year', '2026', base.path)).code).toBe(
      0,
    );
    const secrets = secretsOf(path);

    process.env.CANBAO_NEW_PASSWORD = PASSWORD;
    const enc = await withPassword(undefined, () => cli('password', '--workspace', path, '--by', '王芳'));
    expect(enc.code, enc.err).toBe(0);
    expect(enc.out).toMatch(/已加密.*忘记密码将无法打开/);
    expect(leaked(bytesOnDisk(path), secrets)).toEqual([]);
    expect(secretsOf(path, PASSWORD).sort()).toEqual([...secrets].sort());

    // Changing it needs the current password: the CLI gives the one it opened with.
    const ws = Workspace.open(path, { password: PASSWORD });
    expect(() => ws.setPassword('')).toThrow(/密码不能为空/);
    ws.close();
    process.env.CANBAO_NEW_PASSWORD = '新密码-2027';
    const change = await withPassword(PASSWORD, () => cli('password', '--workspace', path));
    expect(change.code, change.err).toBe(0);
    expect(() => Workspace.open(path, { password: PASSWORD })).toThrow(/密码不正确/);

    const again = Workspace.open(path, { password: '新密码-2027' });
    const copy = join(dir, 'convert-副本.canbao');
    await again.backup(copy);
    again.close();
    expect(leaked(bytesOnDisk(copy), secrets)).toEqual([]);
    expect(secretsOf(copy, '新密码-2027').sort()).toEqual([...secrets].sort());

    const log = JSON.parse(
      (await withPassword('新密码-2027', () => cli('status', '--workspace', path, '--json'))).out,
    ) as { encrypted: boolean };
    expect(log.encrypted).toBe(true);
  });

  it('exports from an encrypted workspace with both threads', async () => {
    const { truth } = await generateCounty({ people: 300, seed: 93, out: join(dir, 'county3') });
    const path = join(dir, 'export.canbao');
    await withPassword(PASSWORD, async () => {
      for (const f of truth.files)
        expect((await cli('import', '--workspace', path, '--kind', f.kind, '--year', '2026', f.path)).code).toBe(0);
      expect((await cli('match', '--workspace', path)).code).toBe(0);
      const r = await cli('export', '--workspace', path, '--out', join(dir, 'out'), '--what', 'ledger,duplicates');
      expect(r.code, r.err).toBe(0);
    });
  });

  it('backs up encrypted, and a restore never leaves the workspace plain or under an old password', async () => {
    const { truth } = await generateCounty({ people: 150, seed: 94, out: join(dir, 'county4') });
    const path = join(dir, 'backups.canbao');
    const base = truth.files.find((f) => f.kind === 'population')!;
    const imported = await cli('import', '--workspace', path, '--kind', 'population', '--year', '2026', base.path);
    expect(imported.code, imported.err).toBe(0);
    const secrets = secretsOf(path);

    let ws = Workspace.open(path);
    const plainBackup = await createBackup(ws, 'manual', 10, '王芳');
    ws.setPassword(PASSWORD);
    const encryptedBackup = await createBackup(ws, 'manual', 10, '王芳');
    // The backup of the encrypted workspace, like the workspace, gives nothing away.
    expect(leaked(bytesOnDisk(encryptedBackup.path), secrets)).toEqual([]);
    expect(secretsOf(encryptedBackup.path, PASSWORD).sort()).toEqual([...secrets].sort());

    // A backup from before the encryption comes back encrypted with the current password.
    ws = await restoreBackup(ws, plainBackup.file, 10, '王芳');
    expect(ws.encrypted).toBe(true);
    ws.close();
    expect(leaked(bytesOnDisk(path), secrets)).toEqual([]);
    expect(secretsOf(path, PASSWORD).sort()).toEqual([...secrets].sort());

    // One made under a password since changed is refused in Chinese, and the workspace stays as it was.
    ws = Workspace.open(path, { password: PASSWORD });
    ws.setPassword('新密码-2027');
    await expect(restoreBackup(ws, encryptedBackup.file, 10, '王芳')).rejects.toThrow(/另一个密码/);
    expect(ws.db.open).toBe(true);
    ws.close();
    expect(secretsOf(path, '新密码-2027').length).toBe(secrets.length);
    expect(listBackups(path).length).toBeGreaterThanOrEqual(3);
  });
});
