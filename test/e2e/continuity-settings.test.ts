/// <reference lib="dom" />
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONTINUITY_INFO, CONTINUITY_KEYS } from '../../shared/domain/continuity-settings';
import { launchChromium } from '../helpers/browser';
import { tempDir } from '../helpers/files';
import { builtRenderer, openApp, type OpenApp } from './harness';

// 工作区 → 设置 at 1366×768: the continuity rules are their own group, every setting with what it means and where
// it comes from in sight, nothing wider than the window; a reading chosen there is what the engine then holds.
const root = resolve(import.meta.dirname, '../..');
const shots = join(root, 'test-output', 'screenshots');
const dir = tempDir('canbao-e2e-continuity-');
let browser: Browser;
let app: OpenApp;
let page: Page;

async function engine<T>(channel: string): Promise<T> {
  const res = await fetch(`${new URL(app.harness.url).origin}/api/${channel}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-canbao-token': app.harness.token },
    body: '{}',
  });
  return ((await res.json()) as { result: T }).result;
}

beforeAll(async () => {
  mkdirSync(shots, { recursive: true });
  const rendererDir = builtRenderer(root);
  browser = await launchChromium();
  app = await openApp({ browser, rendererDir, dataDir: join(dir, 'app'), viewport: { width: 1366, height: 768 } });
  page = app.page;
});

afterAll(async () => {
  await app?.close();
  await browser?.close();
});

describe('工作区设置：连续参保与待遇等待期（浏览器端到端，1366×768）', () => {
  it('shows every continuity setting with its explanation and source, within the window’s width', async () => {
    await page.getByRole('menuitem', { name: /^工作区/ }).click();
    await page.getByTestId('workspace-path').fill(join(dir, 'rules.canbao'));
    await page.getByTestId('workspace-create').click();
    const group = page.getByTestId('settings-continuity');
    await group.waitFor();
    await expect.poll(async () => (await group.textContent()) ?? '').toContain('连续参保与待遇等待期（地区口径）');
    const shown = await page
      .getByTestId('continuity-setting')
      .evaluateAll((els) => els.map((e) => [e.getAttribute('data-key'), e.textContent ?? '']));
    expect(shown.map(([k]) => k).sort()).toEqual([...CONTINUITY_KEYS].sort());
    for (const [k, text] of shown) {
      const info = CONTINUITY_INFO[k as keyof typeof CONTINUITY_INFO];
      expect(text).toContain(info.label);
      expect(text).toContain(info.explain);
    }
    expect(shown.find(([k]) => k === 'firstLapseYearFree')![1]).toContain('厦门：断保一年没有变动等待期');
    // Nothing wider than the window, no setting cut off on its right.
    const widths = await page.evaluate(() => ({
      page: document.documentElement.scrollWidth,
      window: window.innerWidth,
      cut: Array.from(document.querySelectorAll('[data-testid=continuity-setting]')).filter(
        (e) => e.scrollWidth > e.clientWidth + 1 || e.getBoundingClientRect().right > window.innerWidth,
      ).length,
    }));
    expect(widths.page).toBeLessThanOrEqual(widths.window);
    expect(widths.cut).toBe(0);
    await group.evaluate((e) => e.scrollIntoView({ block: 'start' }));
    await page.screenshot({ path: join(shots, 'continuity-settings-1366-screenshot.png') });
    await page.getByTestId('continuity-lapseCapReduction').scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(shots, 'continuity-settings-incentive-1366-screenshot.png') });
  });

  it('the literal reading chosen and saved is what the engine holds', async () => {
    expect((await engine<{ firstLapseYearFree: boolean }>('settings.get')).firstLapseYearFree).toBe(true);
    await page.getByTestId('continuity-preset-b').click();
    await page.getByTestId('continuity-preset-2021').click();
    await page.getByTestId('continuity-save').click();
    await expect
      .poll(async () => (await engine<{ firstLapseYearFree: boolean }>('settings.get')).firstLapseYearFree)
      .toBe(false);
    expect(await engine('settings.get')).toMatchObject({ incentiveCountFromYear: 2021, lapseCountFromYear: 2025 });
    await expect
      .poll(() => page.getByTestId('continuity-firstLapseYearFree').getAttribute('aria-checked'))
      .toBe('false');
  });
});
