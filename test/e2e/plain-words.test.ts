/// <reference lib="dom" />
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appendAudit } from '../../electron/core/audit/audit-log';
import { Workspace } from '../../electron/core/db/workspace';
import { importFile } from '../../electron/core/import/import-file';
import { runMatch } from '../../electron/core/match/run-match';
import { decidePair } from '../../electron/core/review/review-queue';
import { writeSetting } from '../../electron/core/settings';
import { generateCounty } from '../fixtures/county-generator';
import { launchChromium } from '../helpers/browser';
import { tempDir } from '../helpers/files';
import { TEST_SEEDS } from '../helpers/seed';
import { builtRenderer, startHarness, type Harness } from './harness';

// At 1366×768: the review page says each field in words (weights on demand), and the 操作日志 names persons and can
// be filtered by 经办人, 操作 and date; no English word reaches the visible text.
const root = resolve(import.meta.dirname, '../..');
const shots = join(root, 'test-output', 'screenshots');
const dir = tempDir('canbao-e2e-words-');
const workspace = join(dir, '县2026.canbao');
const seed = TEST_SEEDS[0]!;
let harness: Harness;
let browser: Browser;
let page: Page;

/** English words in the page's visible text, once file names and the tokens a clerk knows are taken out. */
async function visibleEnglish(): Promise<string[]> {
  const text = await page.locator('body').innerText();
  const stripped = text
    .replace(/[^\s“”"'（）()：:，,；;、。]*\.(xlsx|xlsm|xls|csv|txt|canbao)\b/gi, '')
    .replace(/\b(CSV|Excel|WPS|ID)\b/g, '');
  return stripped.match(/[A-Za-z]{3,}/g) ?? [];
}

beforeAll(async () => {
  mkdirSync(shots, { recursive: true });
  // A small county, matched with a high link threshold so that review has pairs; two clerks' verdicts in the log,
  // one written before entries named persons (record ids only).
  const { truth } = await generateCounty({ people: 400, seed, out: join(dir, 'county') });
  const ws = Workspace.open(workspace, { create: true });
  for (const f of truth.files) await importFile(ws, f.path, { kind: f.kind, year: 2026, actor: '王芳' });
  writeSetting(ws.db, 'linkWeight', 30);
  runMatch(ws, { actor: '王芳' });
  const pairs = ws.db.prepare('SELECT record_a AS a, record_b AS b FROM review_pair ORDER BY id LIMIT 2').all() as {
    a: number;
    b: number;
  }[];
  decidePair(ws.db, pairs[0]!.a, pairs[0]!.b, 'same', '李明');
  appendAudit(ws.db, '李明', 'decide', { recordA: pairs[1]!.a, recordB: pairs[1]!.b, verdict: 'different' });
  ws.close();
  const dataDir = join(dir, 'app');
  mkdirSync(dataDir, { recursive: true });
  writeFileSync(join(dataDir, 'actor.json'), JSON.stringify('王芳'));
  harness = await startHarness({ rendererDir: builtRenderer(root), dataDir });
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1366, height: 768 }, locale: 'zh-CN' });
  await page.goto(harness.url);
  await page.getByRole('menuitem', { name: /^工作区/ }).click();
  await page.getByTestId('workspace-path').fill(workspace);
  await page
    .getByRole('button', { name: /^打\s*开$/ })
    .first()
    .click();
  await page.getByText('已打开工作区').first().waitFor();
});

afterAll(async () => {
  await browser?.close();
  await harness?.close();
});

describe(`复核的逐项说明与操作日志的筛选（浏览器端到端，1366×768，种子 ${seed}）`, () => {
  it('review says each field agrees, partly, not or is missing, in words; the weights open on demand', async () => {
    await page.getByRole('menuitem', { name: /^复核/ }).click();
    const plain = page.getByTestId('review-plain');
    await plain.waitFor();
    await expect.poll(() => plain.textContent()).toMatch(/[✓≈✗—]\s*身份证号/);
    expect(await page.getByTestId('plain-name').textContent()).toMatch(/^[✓≈✗—]姓名姓名/);
    expect(await page.getByTestId('review-side-a').textContent()).toContain('此人的其他记录：');
    expect(await page.getByTestId('review-side-b').textContent()).toContain('同户：');
    // The computation is there, folded: not on screen until asked for.
    expect(await page.getByTestId('weights').count()).toBe(0);
    expect(await visibleEnglish()).toEqual([]);
    // The decision buttons stay inside the window although the words made the page longer.
    const same = await page.getByTestId('decide-same').boundingBox();
    expect(same!.y + same!.height).toBeLessThanOrEqual(768);
    await page.screenshot({ path: join(shots, 'review-plain-words-1366-screenshot.png') });
    await page.getByText('详细计算（各项权重与合计）').click();
    await page.getByTestId('weights').waitFor();
    await expect.poll(() => page.getByTestId('weights').textContent()).toMatch(/先验.*合计 -?\d+\.\d/);
    expect(await visibleEnglish()).toEqual([]);
  });

  it('the 操作日志 names persons, and filters by 经办人, 操作 and date', async () => {
    await page.getByRole('menuitem', { name: /^操作日志/ }).click();
    const table = page.getByTestId('audit-table');
    await expect.poll(() => table.textContent()).toContain('复核判断');
    expect(await table.textContent()).not.toMatch(/记录 \d+/);
    expect(await visibleEnglish()).toEqual([]);

    await page.getByTestId('audit-filter-actor').click();
    await page.getByTitle('李明').click();
    await expect.poll(() => page.getByTestId('audit-count').textContent()).toBe('符合条件 2 条');
    const rows = page.locator('[data-testid=audit-table] tbody tr');
    for (const text of await rows.allTextContents())
      expect(text).toMatch(/复核判断.*（P\d{8}） 与 .*（P\d{8}）：(同一人|不同人)/);
    await page.screenshot({ path: join(shots, 'audit-filter-actor-1366-screenshot.png') });

    await page.getByTestId('audit-filter-action').click();
    await page.getByTitle('导入').click();
    await expect.poll(() => page.getByTestId('audit-count').textContent()).toBe('符合条件 0 条');
    expect(await table.textContent()).toContain('没有符合条件的记录，请放宽筛选条件');

    // Only imports, any clerk, today (the entries were all written today); then a day long past: none.
    await page.locator('[data-testid=audit-filters] .ant-select-clear').first().click({ force: true });
    await expect.poll(() => page.getByTestId('audit-count').textContent()).toBe('符合条件 4 条');
    const day = (d: Date) =>
      `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
    const today = day(new Date());
    await page.getByPlaceholder('开始日期').click();
    await page.getByPlaceholder('开始日期').fill(today);
    await page.getByPlaceholder('开始日期').press('Enter');
    await page.getByPlaceholder('结束日期').fill(today);
    await page.getByPlaceholder('结束日期').press('Enter');
    await expect.poll(() => page.getByTestId('audit-count').textContent()).toBe('符合条件 4 条');
    expect(await table.textContent()).toContain('（户籍人口底册，2026年）');
    await page.getByPlaceholder('开始日期').click();
    await page.getByPlaceholder('开始日期').fill('2020-01-01');
    await page.getByPlaceholder('开始日期').press('Enter');
    await page.getByPlaceholder('结束日期').fill('2020-01-02');
    await page.getByPlaceholder('结束日期').press('Enter');
    await expect.poll(() => page.getByTestId('audit-count').textContent()).toBe('符合条件 0 条');
    await page.keyboard.press('Escape');
    expect(await visibleEnglish()).toEqual([]);
    await page.screenshot({ path: join(shots, 'audit-filter-dates-1366-screenshot.png') });
  });

  it('a file that is not a workspace, opened as one, is refused in Chinese with what to do', async () => {
    const notWorkspace = join(dir, '乡镇名单.canbao');
    writeFileSync(notWorkspace, 'PK\x03\x04 this is some other program file, not a database\n');
    await page.getByRole('menuitem', { name: /^工作区/ }).click();
    await page.getByTestId('workspace-path').fill(notWorkspace);
    await page
      .getByRole('button', { name: /^打\s*开$/ })
      .first()
      .click();
    const refusal = page.getByText('“乡镇名单.canbao”不是参保比对的工作区文件', { exact: false });
    await refusal.first().waitFor();
    expect(await refusal.first().textContent()).toContain('请选择一个 .canbao 工作区文件');
    expect(await visibleEnglish()).toEqual([]);
  });
});
