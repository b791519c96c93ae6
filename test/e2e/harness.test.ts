import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/files';
import { startHarness, type Harness } from './harness';
import { apiStatus } from '../helpers/browser';

const dir = tempDir('canbao-harness-');
let h: Harness;

beforeAll(async () => {
  mkdirSync(join(dir, 'renderer'), { recursive: true });
  writeFileSync(join(dir, 'renderer', 'index.html'), '<html>ok</html>');
  writeFileSync(join(dir, 'secret.txt'), 'not served');
  h = await startHarness({ rendererDir: join(dir, 'renderer'), dataDir: join(dir, 'data') });
});
afterAll(async () => h?.close());

describe('测试用的浏览器服务（不随安装包发布）', () => {
  it('listens on loopback only and refuses API calls without the random token', async () => {
    const base = new URL(h.url);
    expect(base.hostname).toBe('127.0.0.1');
    expect(await apiStatus(base.origin)).toBe(403);
    expect(await apiStatus(base.origin, 'guess')).toBe(403);
    expect(await apiStatus(base.origin, h.token)).toBe(200);
    const ok = await fetch(`${base.origin}/api/workspace.status`, {
      method: 'POST',
      headers: { 'x-canbao-token': h.token },
      body: '{}',
    });
    expect(await ok.json()).toMatchObject({ ok: true, result: { path: null } });
  });

  it('parses requests with the contract schema before the engine sees them, and serves nothing outside the renderer', async () => {
    const base = new URL(h.url).origin;
    const bad = await fetch(`${base}/api/review.decide`, {
      method: 'POST',
      headers: { 'x-canbao-token': h.token },
      body: JSON.stringify({ recordA: 'x' }),
    });
    expect(await bad.json()).toMatchObject({ ok: false, error: { kind: 'badInput' } });
    // A setting out of its bounds: refused here as by the CLI and the app, with the same Chinese message.
    const rate = await fetch(`${base}/api/settings.set`, {
      method: 'POST',
      headers: { 'x-canbao-token': h.token },
      body: JSON.stringify({ targetRate: 5 }),
    });
    expect(await rate.json()).toMatchObject({
      ok: false,
      error: { kind: 'badInput', message: expect.stringContaining('参保率目标应在 0.5 到 1 之间') },
    });
    // Not a channel, though a property of every object; and a body that is not JSON: refused in Chinese.
    const post = (path: string, body: string) =>
      fetch(`${base}${path}`, { method: 'POST', headers: { 'x-canbao-token': h.token }, body });
    expect((await post('/api/constructor', '{}')).status).toBe(404);
    expect(await (await post('/api/settings.set', '{not json')).json()).toMatchObject({
      ok: false,
      error: { kind: 'badInput', message: '请求内容不是有效的数据格式' },
    });
    expect((await fetch(`${base}/index.html`)).status).toBe(200);
    expect((await fetch(`${base}/..%2Fsecret.txt`)).status).toBe(404);
  });
});
