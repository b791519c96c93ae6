/// <reference lib="dom" />
import Database from 'better-sqlite3';
import { existsSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Workspace } from '../../electron/core/db/workspace';
import { importFile } from '../../electron/core/import/import-file';
import { runMatch } from '../../electron/core/match/run-match';
import { listSql } from '../../electron/core/service/views';
import { generateCounty } from '../fixtures/county-generator';
import { launchChromium } from '../helpers/browser';
import { tempDir } from '../helpers/files';
import { FIXED_SEED } from '../helpers/seed';
import { builtRenderer, startHarness, type Harness } from './harness';

// A clerk on the 结果 lists at 1366×768: opens a person from 未参保, sorts by a column, filters by a name, exports the
// list as shown. The county is imported and matched by the engine beforehand (the import pages have their own tests).
const root = resolve(import.meta.dirname, '../..');
const shots = join(root, 'test-output', 'screenshots');
const dir = tempDir('canbao-e2e-lists-');
const workspace = join(dir, '县2026.canbao');
let harness: Harness;
let browser: Browser;
let page: Page;
let shot = 0;

async function screenshot(name: string) {
  await page.waitForFunction(() => document.getAnimations().every((a) => a.playState !== 'running'));
  await page.screenshot({
    path: join(shots, `result-lists-${String(++shot).padStart(2, '0')}-${name}-screenshot.png`),
  });
}
const go = (menu: string) => page.getByRole('menuitem', { name: new RegExp(`^${menu}`) }).click();
const total = async () => Number((await page.getByTestId('list-total').textContent())!.replace(/\D/g, ''));
/** The 姓名 cells of the rows on screen, in order; empty until every row on screen has arrived from the engine. */
const shownNames = async () => {
  const cells = await page
    .getByTestId('virtual-row')
    .evaluateAll((rows) => rows.map((r) => (r.children[2] as HTMLElement | undefined)?.textContent ?? null));
  return cells.length && cells.every((c) => c !== null) ? (cells as string[]) : [];
};
/** The names of 未参保 in the engine's order for this sort (the engine test checks that order is by pinyin). */
function engineNames(dir: 'asc' | 'desc'): string[] {
  const db = new Database(workspace, { readonly: true });
  try {
    const sql = listSql({ list: 'uninsured', specialOnly: false, sortBy: 'name', sortDir: dir });
    return (db.prepare(sql.select).all(...sql.args) as { name: string }[]).map((r) => r.name);
  } finally {
    db.close();
  }
}

beforeAll(async () => {
  mkdirSync(shots, { recursive: true });
  const { truth } = await generateCounty({ people: 600, seed: FIXED_SEED, out: join(dir, 'county') });
  const ws = Workspace.open(workspace, { create: true });
  for (const f of truth.files) await importFile(ws, f.path, { kind: f.kind, year: truth.year });
  runMatch(ws);
  ws.close();
  harness = await startHarness({ rendererDir: builtRenderer(root), dataDir: join(dir, 'app') });
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1366, height: 768 }, locale: 'zh-CN' });
  await page.goto(harness.url);
}, 300_000);

afterAll(async () => {
  await browser?.close();
  await harness?.close();
});

describe(`结果列表：一人一档、排序、筛选、导出当前列表（浏览器端到端，1366×768，县样例 seed ${FIXED_SEED}）`, () => {
  it('opens the person of a 未参保 row in a drawer with each record by file, sheet and row and why it belongs', async () => {
    await page.getByTestId('workspace-path').fill(workspace);
    await page.getByTestId('workspace-create').click();
    await page.getByText('已导入的名册').waitFor();
    await go('结果');
    await expect.poll(total).toBeGreaterThan(0);
    const row = page.getByTestId('virtual-row').first();
    const name = (await row.locator('> div').nth(2).textContent())!;
    await row.locator('> div').nth(2).click();
    const drawer = page.getByTestId('person-drawer');
    await expect.poll(() => drawer.locator('.ant-drawer-title').textContent()).toContain(`一人一档：${name}`);
    const records = drawer.getByTestId('person-records');
    await expect.poll(() => records.textContent()).toMatch(/第\d+行/);
    await expect.poll(() => drawer.textContent()).toContain('底册内，未参保');
    expect(await records.locator('thead').textContent()).toContain('为什么归为此人');
    await screenshot('person-drawer');
    await drawer.locator('.ant-drawer-close').click();
    await drawer.waitFor({ state: 'hidden' });
  });

  it('sorts by 姓名 in the engine: the rows change, and 降序 reverses 升序', async () => {
    await expect.poll(async () => (await shownNames()).length).toBeGreaterThan(0);
    const before = await shownNames();
    const asc = engineNames('asc');
    const desc = engineNames('desc');
    await page.getByTestId('column-姓名').click();
    await expect.poll(() => page.getByTestId('column-姓名').textContent()).toContain('▲');
    await expect.poll(async () => (await shownNames()).join()).toBe(asc.slice(0, before.length).join());
    expect(asc.slice(0, before.length)).not.toEqual(before);
    await page.getByTestId('column-姓名').click();
    await expect.poll(() => page.getByTestId('column-姓名').textContent()).toContain('▼');
    await expect.poll(async () => (await shownNames()).join()).toBe(desc.slice(0, before.length).join());
    expect(desc[0]).not.toBe(asc[0]);
    await screenshot('sorted-desc');
  });

  it('filters by a surname: the count drops and every row shown has it', async () => {
    const all = await total();
    const surname = (await shownNames())[0]!.slice(0, 1);
    await page.getByTestId('filter-text').locator('input').fill(surname);
    await page.getByTestId('filter-text').locator('input').press('Enter');
    await expect.poll(total).toBeLessThan(all);
    expect(await total()).toBeGreaterThan(0);
    await expect
      .poll(async () => {
        const n = await shownNames();
        return n.length > 0 && n.every((x) => x.includes(surname));
      })
      .toBe(true);
    await screenshot('filtered');
  });

  it('exports the current list, as filtered and sorted, into 导出 beside the workspace', async () => {
    const rows = await total();
    await page.getByTestId('list-export').click();
    const done = page.getByTestId('list-exported');
    await expect.poll(() => done.textContent()).toContain(`已导出 ${rows.toLocaleString()} 行`);
    const file = (await done.textContent())!.match(/：(.+\.xlsx)/)![1]!;
    expect(file.startsWith(join(dir, '导出'))).toBe(true);
    expect(existsSync(file)).toBe(true);
    await screenshot('exported');
  });

  it('widens a column by dragging its edge, and copies the ticked rows as tab-separated text for WPS', async () => {
    const header = page.getByTestId('column-村（社区）');
    const before = (await header.boundingBox())!.width;
    const edge = (await page.getByTestId('resize-村（社区）').boundingBox())!;
    await page.mouse.move(edge.x + 2, edge.y + edge.height / 2);
    await page.mouse.down();
    await page.mouse.move(edge.x + 82, edge.y + edge.height / 2, { steps: 4 });
    await page.mouse.up();
    await expect.poll(async () => (await header.boundingBox())!.width).toBeGreaterThan(before + 60);
    await page
      .context()
      .grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(harness.url).origin });
    await page.getByTestId('filter-text').locator('input').fill('');
    await page.getByTestId('filter-text').locator('input').press('Enter');
    await expect.poll(async () => (await shownNames()).length).toBeGreaterThan(1);
    const names = (await shownNames()).slice(0, 2);
    const boxes = page.getByTestId('virtual-row').locator('input[type=checkbox]');
    await boxes.nth(0).check();
    await boxes.nth(1).check();
    await page.getByTestId('list-copy').click();
    const clipboard = () => page.evaluate(() => navigator.clipboard.readText());
    await expect.poll(clipboard).toMatch(/^人员编号\t姓名\t身份证号\t/);
    const lines = (await clipboard()).split('\n').map((l) => l.split('\t'));
    expect(lines.map((l) => l[1])).toEqual(['姓名', ...names]);
    expect(lines[1]![0]).toMatch(/^P\d{8}$/);
    expect(lines[1]![2]).toMatch(/^\d{6}\*+[\dX]{4}$/);
    await screenshot('copied');
  });

  it('opens a 重复参保 person: which enrolment is kept, which is cancelled, and the rule', async () => {
    await page.getByRole('tab', { name: '重复参保' }).click();
    await expect.poll(total).toBeGreaterThan(0);
    await page.getByTestId('virtual-row').first().locator('> div').nth(2).click();
    const drawer = page.getByTestId('person-drawer');
    await expect.poll(() => drawer.getByTestId('person-duplicate').textContent()).toContain('依据：');
    const records = (await drawer.getByTestId('person-records').textContent())!;
    expect(records).toContain('保留');
    expect(records).toContain('注销');
    await screenshot('duplicate-drawer');
  });

  it('opens the same 一人一档 from 查人', async () => {
    await page.getByTestId('person-drawer').locator('.ant-drawer-close').click();
    await page.getByTestId('person-drawer').waitFor({ state: 'hidden' });
    const row = page.getByTestId('virtual-row').first().locator('> div');
    const personId = (await row.nth(1).textContent())!;
    const name = (await row.nth(2).textContent())!;
    await go('查人');
    await page.getByTestId('find-input').locator('input').fill(name);
    await page.getByTestId('find-input').locator('input').press('Enter');
    await page.getByTestId('find-hit').filter({ hasText: personId }).getByTestId('find-open-person').click();
    const drawer = page.getByTestId('person-drawer');
    await expect
      .poll(() => drawer.locator('.ant-drawer-title').textContent())
      .toContain(`一人一档：${name}（${personId}）`);
    await expect.poll(() => drawer.getByTestId('person-records').textContent()).toMatch(/第\d+行/);
  });
});
