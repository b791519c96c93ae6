/// <reference lib="dom" />
import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateCounty, type CountyTruth } from '../fixtures/county-generator';
import { launchChromium } from '../helpers/browser';
import { tempDir } from '../helpers/files';
import { TEST_SEEDS } from '../helpers/seed';
import { startHarness, type Harness } from './harness';

// A clerk's first start on an office PC at 1366×768 and on a 1920×1080 screen: the name is asked once, the step
// guide follows the work, and on every page the window itself never scrolls and the primary button is in sight.
const root = resolve(import.meta.dirname, '../..');
const shots = join(root, 'test-output', 'screenshots');
const seed = TEST_SEEDS[0]!;
const dir = tempDir('canbao-e2e-first-run-');
let truth: CountyTruth;
let browser: Browser;

beforeAll(async () => {
  mkdirSync(shots, { recursive: true });
  execFileSync('npx', ['vite', 'build', '--config', 'renderer/vite.config.ts', '--logLevel', 'error'], {
    cwd: root,
    stdio: 'inherit',
  });
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

for (const size of [
  { width: 1366, height: 768 },
  { width: 1920, height: 1080 },
]) {
  describe(`第一次使用与页面布局（${size.width}×${size.height}，seed ${seed}）`, () => {
    let harness: Harness;
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
      harness = await startHarness({
        rendererDir: join(root, 'out', 'renderer'),
        dataDir: join(dir, `app-${name}`),
        firstStart: true,
      });
      page = await browser.newPage({ viewport: size, locale: 'zh-CN' });
      // An action that cannot happen fails the test (with the reason) instead of waiting for ever.
      page.setDefaultTimeout(20_000);
      await page.goto(harness.url);
    });

    afterAll(async () => {
      await page?.close();
      await harness?.close();
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
      for (const menu of ['结果', '查人', '操作日志']) {
        await go(menu);
        await expect
          .poll(() => page.evaluate(() => document.documentElement.scrollHeight <= window.innerHeight))
          .toBe(true);
        await shot(menu);
      }
    });
  });
}
