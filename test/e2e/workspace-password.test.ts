/// <reference lib="dom" />
import { mkdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/files';
import { launchChromium } from '../helpers/browser';
import { builtRenderer, startHarness, type Harness } from './harness';

// A clerk makes an encrypted workspace, opens it again with a wrong and then the right password, at 1366×768.
const root = resolve(import.meta.dirname, '../..');
const shots = join(root, 'test-output', 'screenshots');
const dir = tempDir('canbao-e2e-password-');
const workspace = join(dir, '城关镇2026.canbao');
let harness: Harness;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  mkdirSync(shots, { recursive: true });
  harness = await startHarness({ rendererDir: builtRenderer(root), dataDir: join(dir, 'app') });
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1366, height: 768 }, locale: 'zh-CN' });
  await page.goto(harness.url);
});

afterAll(async () => {
  await browser?.close();
  await harness?.close();
});

const dialog = () => page.getByRole('dialog');

describe('工作区密码（浏览器端到端，1366×768）', () => {
  it('creates an encrypted workspace after the password is typed twice, with the warning about forgetting it', async () => {
    await page.getByRole('menuitem', { name: /^工作区/ }).click();
    await page.getByTestId('workspace-path').fill(workspace);
    await page.getByTestId('workspace-encrypt-new').click();
    await page.getByTestId('workspace-create').click();
    await expect.poll(() => dialog().textContent()).toContain('忘记密码将无法打开');
    await page.getByTestId('password-input').fill('乡镇核实-2026');
    await page.getByTestId('password-again').fill('乡镇核实-2025');
    await page.getByRole('button', { name: /确\s*定/ }).click();
    await expect.poll(() => dialog().textContent()).toContain('两次输入的密码不一致');
    await page.getByTestId('password-again').fill('乡镇核实-2026');
    await page.getByRole('button', { name: /确\s*定/ }).click();
    await expect.poll(() => page.getByTestId('workspace-encryption').textContent()).toContain('已加密');
    await page.screenshot({ path: join(shots, 'workspace-encrypted-screenshot.png') });
    const bytes = readFileSync(workspace);
    expect(bytes.length).toBeGreaterThanOrEqual(4096);
    expect(bytes.subarray(0, 15).toString('latin1')).not.toBe('SQLite format 3');
  });

  it('asks for the password when the workspace is opened again, and says so when it is wrong', async () => {
    await page.getByTestId('workspace-path').fill(workspace);
    await page
      .getByRole('button', { name: /^打\s*开$/ })
      .first()
      .click();
    await expect.poll(() => dialog().textContent()).toContain('工作区已加密，请输入密码');
    await page.getByTestId('password-input').fill('123456');
    await page.getByTestId('password-input').press('Enter');
    await expect.poll(() => dialog().textContent()).toContain('密码不正确');
    await page.waitForTimeout(400); // the modal's opening animation, for the screenshot only
    await page.screenshot({ path: join(shots, 'workspace-wrong-password-screenshot.png') });
    await page.getByTestId('password-input').fill('乡镇核实-2026');
    await page.getByTestId('password-input').press('Enter');
    await expect.poll(() => page.getByText('已打开工作区').count()).toBeGreaterThan(0);
    await expect.poll(() => dialog().count()).toBe(0);
    expect(await page.getByTestId('workspace-encryption').textContent()).toContain('已加密');
  });
});
