/// <reference lib="dom" />
import { copyFileSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateCounty, type CountyTruth } from '../fixtures/county-generator';
import { launchChromium } from '../helpers/browser';
import { tempDir } from '../helpers/files';
import { FIXED_SEED } from '../helpers/seed';
import { builtRenderer, clickInDialog, explainStuck, startHarness, type Harness } from './harness';

// A clerk drops a 职工医保 export with a neutral name, picks 户籍人口底册 by mistake, is asked, goes ahead, then
// removes the wrong roll from the list: the workspace counts are back as before. At 1366×768.
const root = resolve(import.meta.dirname, '../..');
const shots = join(root, 'test-output', 'screenshots');
const dir = tempDir('canbao-e2e-roll-');
const workspace = join(dir, '城关镇2026.canbao');
let harness: Harness;
let browser: Browser;
let page: Page;
let truth: CountyTruth;
let shot = 0;

async function screenshot(name: string) {
  // A dialog still zooming in would be half transparent on the picture: wait until nothing animates.
  await page.waitForFunction(() => document.getAnimations().every((a) => a.playState !== 'running'));
  await page.screenshot({ path: join(shots, `roll-kind-${String(++shot).padStart(2, '0')}-${name}-screenshot.png`) });
}
const go = (menu: string) => page.getByRole('menuitem', { name: new RegExp(`^${menu}`) }).click();
/** 记录 N 条 and 数据问题 N 个 as the 已导入的名册 card shows them. */
async function counts(): Promise<string> {
  const text = (await page.getByTestId('rolls').locator('.ant-descriptions').textContent())!;
  return text.match(/记录[\d,]+ 条数据问题[\d,]+ 个/)![0];
}

/** An import's summary, within the 120 s a loaded CI machine may need; if not, why not, in the failure message. */
async function importSummary(records: number) {
  await expect
    .poll(() => page.getByTestId('import-summary').textContent(), { timeout: 120_000 })
    .toContain(`共导入 ${records.toLocaleString()} 条记录`)
    .catch(async (e: Error) => {
      await screenshot('stuck').catch(() => undefined);
      throw new Error(`${e.message}\n${await engineRolls()}\n${await explainStuck(page, harness)}`);
    });
}

/** For a failed wait: the rolls the engine has (the page missed an update), or that it is still busy in the job. */
async function engineRolls(): Promise<string> {
  try {
    const res = await fetch(`${new URL(harness.url).origin}/api/workspace.status`, {
      method: 'POST',
      headers: { 'x-canbao-token': harness.token, 'content-type': 'application/json' },
      body: '{}',
      // Requests wait behind a running job: no answer within 5 s means the job has not ended.
      signal: AbortSignal.timeout(5_000),
    });
    const status = (await res.json()) as { result?: { rolls: { file: string }[] } };
    return `the engine has: ${[...new Set(status.result?.rolls.map((r) => r.file))].join(', ')}`;
  } catch {
    return 'the engine is still busy: the job has not ended';
  }
}

beforeAll(async () => {
  mkdirSync(shots, { recursive: true });
  ({ truth } = await generateCounty({ people: 600, seed: FIXED_SEED, out: join(dir, 'county') }));
  harness = await startHarness({ rendererDir: builtRenderer(root), dataDir: join(dir, 'app') });
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1366, height: 768 }, locale: 'zh-CN' });
  await page.goto(harness.url);
});

afterAll(async () => {
  await browser?.close();
  await harness?.close();
});

describe(`名册类型确认与删除名册（浏览器端到端，1366×768，县样例 seed ${FIXED_SEED}）`, () => {
  let before = '';

  it('imports the base, suggested as 户籍人口底册 from its title', async () => {
    await page.getByTestId('workspace-path').fill(workspace);
    await page.getByTestId('workspace-create').click();
    await page.getByText('已导入的名册').waitFor();
    const base = truth.files.find((f) => f.kind === 'population')!;
    await go('导入');
    await page.locator('.ant-upload-drag input[type=file]').setInputFiles(base.path);
    await page.getByText(`预览：${base.file}`).waitFor();
    await expect(page.getByTestId('import-kind-hint').textContent()).resolves.toContain('标题行写着“户籍人口底册”');
    await page.getByTestId('import-run').click();
    await importSummary(base.records);
    await go('工作区');
    before = await counts();
    expect(before).toContain(`记录${base.records.toLocaleString()} 条`);
  });

  it('asks before importing the 职工医保 export as 户籍人口底册, naming the title row, and imports only after 仍按此类型导入', async () => {
    const employee = truth.files.find((f) => f.kind === 'employee')!;
    const neutral = join(dir, '导出数据.csv');
    copyFileSync(employee.path, neutral);
    await go('导入');
    await page.locator('.ant-upload-drag input[type=file]').setInputFiles(neutral);
    await page.getByText('预览：导出数据.csv').waitFor();
    await expect(page.getByTestId('import-kind').textContent()).resolves.toContain('职工医保');
    await page.getByTestId('import-kind').click();
    await page.locator('.ant-select-item-option[title="户籍人口底册"]').click();
    await page.getByTestId('import-run').click();
    const ask = page.getByTestId('kind-confirm');
    await ask.waitFor();
    const words = (await ask.textContent())!;
    expect(words).toContain('“导出数据.csv”看起来是职工医保名册');
    expect(words).toContain('标题行写着“职工基本医疗保险”');
    await screenshot('kind-confirm');
    // 返回修改 imports nothing.
    await clickInDialog(page, 'kind-confirm-cancel');
    await ask.waitFor({ state: 'detached' });
    await go('工作区');
    expect(await counts()).toBe(before);

    await go('导入');
    await page.locator('.ant-upload-drag input[type=file]').setInputFiles(neutral);
    await page.getByText('预览：导出数据.csv').waitFor();
    await page.getByTestId('import-kind').click();
    await page.locator('.ant-select-item-option[title="户籍人口底册"]').click();
    await page.getByTestId('import-run').click();
    await clickInDialog(page, 'kind-confirm-ok');
    await importSummary(employee.records);
  });

  it('removes the wrong roll from the list after a confirmation naming it and its records; the counts are as before', async () => {
    const employee = truth.files.find((f) => f.kind === 'employee')!;
    await go('工作区');
    const row = page.getByTestId('rolls-table').locator('tr', { hasText: '导出数据.csv' });
    await row.waitFor();
    expect(await counts()).not.toBe(before);
    await row.getByTestId('roll-remove').click();
    const ask = page.getByTestId('roll-remove-confirm');
    await ask.waitFor();
    expect(await ask.textContent()).toContain(
      `删除 ${new Date().getFullYear()}年户籍人口底册“导出数据.csv”（${employee.records.toLocaleString()} 条记录）？`,
    );
    await screenshot('remove-confirm');
    await clickInDialog(page, 'roll-remove-ok');
    // Removing makes a backup first, like replacing below: the same 120 s, not Playwright's default 30 s.
    await row.waitFor({ state: 'detached', timeout: 120_000 });
    await expect.poll(counts, { timeout: 30_000 }).toBe(before);
    expect(await page.getByTestId('rolls-table').textContent()).not.toContain('导出数据.csv');
    await screenshot('removed');
  });

  it('replaces the base by a corrected file after a confirmation naming the roll; the list shows the new file', async () => {
    const base = truth.files.find((f) => f.kind === 'population')!;
    const corrected = join(dir, '户籍人口底册_更正.xlsx');
    copyFileSync(base.path, corrected);
    const row = page.getByTestId('rolls-table').locator('tr', { hasText: base.file }).first();
    await row.locator('input[type=file]').setInputFiles(corrected);
    const ask = page.getByTestId('roll-replace-confirm');
    await ask.waitFor();
    expect(await ask.textContent()).toContain(
      `用“户籍人口底册_更正.xlsx”替换 ${new Date().getFullYear()}年户籍人口底册“${base.file}”`,
    );
    expect(await ask.textContent()).toContain(`${base.records.toLocaleString()} 条记录`);
    await clickInDialog(page, 'roll-replace-ok');
    // Replacing is an import job: a backup, the whole file read again, the old roll removed in the same transaction.
    // It gets the 120 s the base's import gets above: Playwright's default 30 s ran out once on the loaded 2-core CI
    // machine. If it runs out again, the message says whether the engine was still busy or the page missed the update.
    const replaced = page.getByTestId('rolls-table').locator('tr', { hasText: '户籍人口底册_更正.xlsx' }).first();
    await replaced.waitFor({ timeout: 120_000 }).catch(async (e: Error) => {
      throw new Error(`${e.message}\n${await engineRolls()}\n${await explainStuck(page, harness)}`);
    });
    const table = page.getByTestId('rolls-table');
    expect(await table.getByRole('cell', { name: base.file, exact: true }).count()).toBe(0);
    expect(await table.getByRole('cell', { name: '户籍人口底册_更正.xlsx', exact: true }).count()).toBeGreaterThan(1);
    await expect.poll(counts, { timeout: 30_000 }).toBe(before);
    await screenshot('replaced');
  });
});
