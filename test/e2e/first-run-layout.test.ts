/// <reference lib="dom" />
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateCounty, type CountyTruth } from '../fixtures/county-generator';
import { launchChromium } from '../helpers/browser';
import { tempDir } from '../helpers/files';
import { TEST_SEEDS } from '../helpers/seed';
import { builtRenderer, openApp, type OpenApp } from './harness';

// A clerk's first start on an office PC at 1366×768 and on a 1920×1080 screen: the name is asked once, the step
// guide follows the work, and on every page the window itself never scrolls and the primary button is in sight.
const root = resolve(import.meta.dirname, '../..');
const shots = join(root, 'test-output', 'screenshots');
const seed = TEST_SEEDS[0]!;
const dir = tempDir('canbao-e2e-first-run-');
let truth: CountyTruth;
let browser: Browser;
let rendererDir: string;

beforeAll(async () => {
  mkdirSync(shots, { recursive: true });
  rendererDir = builtRenderer(root);
  ({ truth } = await generateCounty({ people: 600, seed, out: join(dir, 'county') }));
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
});

/** The window has no scrollbar of its own, and the element is wholly inside the window. */
async function inSight(page: Page, what: string | Locator): Promise<{ pageScrolls: boolean; inside: boolean }> {
  const el = (typeof what === 'string' ? page.getByTestId(what) : what).first();
  await el.waitFor();
  const box = (await el.boundingBox())!;
  const { scrollHeight, innerHeight, innerWidth, scrollWidth } = await page.evaluate(() => ({
    scrollHeight: document.documentElement.scrollHeight,
    scrollWidth: document.documentElement.scrollWidth,
    innerHeight: window.innerHeight,
    innerWidth: window.innerWidth,
  }));
  return {
    pageScrolls: scrollHeight > innerHeight || scrollWidth > innerWidth,
    inside: box.y >= 0 && box.x >= 0 && box.y + box.height <= innerHeight && box.x + box.width <= innerWidth,
  };
}

/** The list's height and the gap between its bottom edge and the window's, and whether the window scrolls. */
async function listFit(
  page: Page,
  table: Locator,
): Promise<{ pageScrolls: boolean; height: number; gapBelow: number }> {
  const box = (await table.boundingBox())!;
  const { scrollHeight, innerHeight } = await page.evaluate(() => ({
    scrollHeight: document.documentElement.scrollHeight,
    innerHeight: window.innerHeight,
  }));
  return {
    pageScrolls: scrollHeight > innerHeight,
    height: Math.round(box.height),
    gapBelow: Math.round(innerHeight - (box.y + box.height)),
  };
}

for (const size of [
  { width: 1366, height: 768 },
  { width: 1920, height: 1080 },
]) {
  describe(`第一次使用与页面布局（${size.width}×${size.height}，seed ${seed}）`, () => {
    let app: OpenApp;
    let page: Page;
    const name = `${size.width}x${size.height}`;
    const go = (menu: string) => page.getByRole('menuitem', { name: new RegExp(`^${menu}`) }).click();
    const shot = (what: string) => page.screenshot({ path: join(shots, `first-run-${name}-${what}-screenshot.png`) });
    const checkPage = async (menu: string, testId: string | Locator, what: string) => {
      await go(menu);
      await expect.poll(() => inSight(page, testId)).toEqual({ pageScrolls: false, inside: true });
      await shot(what);
    };

    beforeAll(async () => {
      app = await openApp({
        browser,
        rendererDir,
        dataDir: join(dir, `app-${name}`),
        viewport: size,
        firstStart: true,
      });
      page = app.page;
    });

    afterAll(async () => {
      await app?.close();
    });

    it('asks the clerk’s name on first start, and the header then shows it', async () => {
      await page.getByTestId('clerk-name-input').waitFor();
      await shot('clerk-name');
      await page.getByTestId('clerk-name-input').fill('王芳');
      await page.getByTestId('clerk-name-save').click();
      await expect.poll(() => page.getByRole('dialog').count()).toBe(0);
      await expect.poll(() => page.getByTestId('header-actor').inputValue()).toBe('王芳');
    });

    it('the 工作区 page fits the window with 新建 in sight', async () => {
      await checkPage('工作区', 'workspace-create', 'workspace-empty');
      await page.getByTestId('workspace-path').fill(join(dir, `${name}.canbao`));
      await page.getByTestId('workspace-create').click();
      await page.getByText('已导入的名册').waitFor();
      await checkPage('工作区', 'workspace-create', 'workspace');
    });

    it('the step guide marks 导入 done after a roll is imported; 导入 keeps its button in sight', async () => {
      await expect.poll(() => page.getByTestId('step-import').getAttribute('data-done')).toBe('no');
      await checkPage('导入', page.locator('.ant-upload-drag'), 'import-empty');
      for (const f of truth.files) {
        await go('导入');
        await page.locator('.ant-upload-drag input[type=file]').setInputFiles(f.path);
        await page.getByText(`预览：${f.file}`).waitFor();
        await expect.poll(() => inSight(page, 'import-run')).toEqual({ pageScrolls: false, inside: true });
        if (f.kind === 'population') await shot('import-preview');
        await page.getByTestId('import-run').click();
        await page.getByTestId('import-summary').waitFor({ timeout: 120_000 });
      }
      await expect.poll(() => inSight(page, 'import-summary')).toEqual({ pageScrolls: false, inside: true });
      await shot('import-summary');
      await expect.poll(() => page.getByTestId('step-import').getAttribute('data-done')).toBe('yes');
      expect(await page.getByTestId('step-match').getAttribute('data-done')).toBe('no');
    });

    it('比对, 复核 and 导出 fit the window with their primary buttons in sight', async () => {
      await checkPage('比对', 'run-match', 'match');
      await page.getByTestId('run-match').click();
      await page.getByText('比对完成').waitFor({ timeout: 120_000 });
      await expect.poll(() => inSight(page, 'match-summary')).toEqual({ pageScrolls: false, inside: true });
      await shot('match-summary');
      await expect.poll(() => page.getByTestId('step-match').getAttribute('data-done')).toBe('yes');
      await go('复核');
      const reviewShown = async () =>
        (await page.getByTestId('decide-same').count()) + (await page.getByText('没有待复核').count());
      await expect.poll(reviewShown).toBeGreaterThan(0);
      if (await page.getByTestId('decide-same').count()) await checkPage('复核', 'decide-same', 'review');
      await checkPage('导出', 'export-run', 'export');
      for (const menu of ['查人', '操作日志']) {
        await go(menu);
        await expect
          .poll(() => page.evaluate(() => document.documentElement.scrollHeight <= window.innerHeight))
          .toBe(true);
        await shot(menu);
      }
    });

    it('结果: each list fills the window’s height below its toolbar, and the window still does not scroll', async () => {
      await go('结果');
      for (const tab of ['未参保', '全部人员', '数据问题']) {
        await page.getByRole('tab', { name: tab }).click();
        const table = page.getByTestId('virtual-table');
        await table.waitFor();
        // The height is measured after the list is laid out: wait for it, then say what it is.
        await expect.poll(async () => (await listFit(page, table)).gapBelow).toBeLessThanOrEqual(24);
        const fit = await listFit(page, table);
        expect(fit.pageScrolls).toBe(false);
        // Down to the page area's padding (20 px) and the table's border: nothing of the window left empty below.
        expect(fit.gapBelow).toBeGreaterThanOrEqual(0);
        expect(fit.gapBelow).toBeLessThanOrEqual(24);
        // The list, not blank screen, takes the height: more than half the window at either size.
        expect(fit.height).toBeGreaterThan(size.height / 2);
        if (tab === '未参保') await shot('results-list');
      }
    });
  });
}
