/// <reference lib="dom" />
import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runMatch } from '../../electron/core/match/run-match';
import type { AtRiskResponse, ContinuitySummaryView } from '../../shared/ipc/continuity-views';
import type { PersonContinuityView } from '../../shared/ipc/continuity-views';
import { launchChromium } from '../helpers/browser';
import { tempDir } from '../helpers/files';
import { FIXED_SEED } from '../helpers/seed';
import { yearsWorkspace } from '../helpers/years-workspace';
import { builtRenderer, openApp, type Harness, type OpenApp } from './harness';

// A clerk mid-campaign at 1366×768 with five years of enrolment rolls (the newest one the year being collected for):
// the 连续参保 page's numbers, the 断保风险名单 filtered by township, a person's 历年参保 in 一人一档, and the export.
// The workspace is built by the engine beforehand; every number on screen is checked against the engine's own answer.
const root = resolve(import.meta.dirname, '../..');
const shots = join(root, 'test-output', 'screenshots');
const dir = tempDir('canbao-e2e-continuity-');
const workspace = join(dir, '县连续参保.canbao');
let app: OpenApp;
let harness: Harness;
let browser: Browser;
let page: Page;
let shot = 0;
let yearsImported: number[];

async function screenshot(name: string) {
  await page.waitForFunction(() => document.getAnimations().every((a) => a.playState !== 'running'));
  await page.screenshot({ path: join(shots, `continuity-${String(++shot).padStart(2, '0')}-${name}.png`) });
}
const text = async (l: Locator) => (await l.textContent()) ?? '';
const number = async (l: Locator) => Number((await text(l)).replace(/\D/g, ''));

/** The engine's answer to a request, through the same service the page uses. */
async function engine<T>(channel: string, body: object = {}): Promise<T> {
  const res = await fetch(`${new URL(harness.url).origin}/api/${channel}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-canbao-token': harness.token },
    body: JSON.stringify(body),
  });
  return ((await res.json()) as { result: T }).result;
}

/** The window itself never scrolls sideways or down. */
const pageScrolls = () =>
  page.evaluate(
    () =>
      document.documentElement.scrollHeight > window.innerHeight ||
      document.documentElement.scrollWidth > window.innerWidth,
  );

beforeAll(async () => {
  mkdirSync(shots, { recursive: true });
  for (const f of readdirSync(shots)) if (/^continuity-\d+-.*\.png$/.test(f)) rmSync(join(shots, f));
  const rendererDir = builtRenderer(root);
  // The year the campaign is collecting for on the test's day is the newest roll's: some of last year's insured
  // have paid, the others are the 断保风险名单.
  const today = new Date();
  const collecting = today.getMonth() >= 8 ? today.getFullYear() + 1 : today.getFullYear();
  yearsImported = [4, 3, 2, 1, 0].map((k) => collecting - k);
  const { ws } = await yearsWorkspace({
    people: 700,
    seed: FIXED_SEED,
    years: yearsImported,
    baseYear: collecting,
    dir,
    path: workspace,
  });
  runMatch(ws, { actor: '王芳' });
  ws.close();
  browser = await launchChromium();
  app = await openApp({ browser, rendererDir, dataDir: join(dir, 'app'), viewport: { width: 1366, height: 768 } });
  ({ harness, page } = app);
  page.setDefaultTimeout(30_000);
  await page.getByTestId('workspace-path').fill(workspace);
  await page.getByTestId('workspace-create').click();
  await page.getByText('已导入的名册').waitFor();
}, 300_000);

afterAll(async () => {
  await app?.close();
  await browser?.close();
});

describe(`连续参保（浏览器端到端，1366×768，五年名册，县样例 seed ${FIXED_SEED}）`, () => {
  it('the summary and the 断保风险名单 say what the engine says for the year being collected for', async () => {
    const s = await engine<ContinuitySummaryView>('continuity.summary');
    expect(s.year).toBe(yearsImported.at(-1));
    expect(s.yearsKnown).toEqual(yearsImported);
    expect(s.atRisk).toBeGreaterThan(0);
    await page.getByRole('menuitem', { name: /^连续参保/ }).click();
    await page.getByTestId('continuity-summary').waitFor();
    expect(await text(page.getByTestId('continuity-year'))).toBe(`${s.year}年（正在征缴）`);
    expect(await number(page.getByTestId('continuity-persons'))).toBe(s.persons);
    expect(await number(page.getByTestId('continuity-insured'))).toBe(s.insured);
    expect(await number(page.getByTestId('continuity-atRisk'))).toBe(s.atRisk);
    expect(await text(page.getByTestId('continuity-deadline'))).toBe(s.deadline);
    for (const [k, n] of Object.entries(s.waitingMonths))
      expect(await number(page.getByTestId(`continuity-wait-${k}`)), `等待${k}个月`).toBe(n);
    for (const [k, n] of Object.entries(s.incentiveSteps))
      expect(await number(page.getByTestId(`continuity-steps-${k}`)), `激励${k}档`).toBe(n);
    // The list's total is the summary's 断保风险, and its first row is the engine's first.
    await expect.poll(() => number(page.getByTestId('continuity-total'))).toBe(s.atRisk);
    const first = (await engine<AtRiskResponse>('continuity.atRisk', { offset: 0, limit: 1 })).rows[0]!;
    const firstRow = page.getByTestId('virtual-row').first();
    await expect.poll(() => text(firstRow)).toContain(first.personId);
    expect(await text(firstRow)).toContain(first.name);
    // The year selector offers the rolls' years and the next one.
    await page.getByTestId('continuity-year').click();
    // Waited for: the drop-down opens after the click returns (read at once, a loaded CI machine saw none yet).
    const options = page.locator('.ant-select-dropdown:visible .ant-select-item-option');
    await expect
      .poll(() => options.allTextContents())
      .toEqual([
        `${s.year + 1}年`,
        `${s.year}年（正在征缴）`,
        ...yearsImported
          .slice(0, -1)
          .reverse()
          .map((y) => `${y}年`),
      ]);
    // Last year's numbers are the engine's for that year; back on the year being collected for, the list is again.
    const last = await engine<ContinuitySummaryView>('continuity.summary', { year: s.year - 1 });
    await page.locator(`.ant-select-dropdown:visible .ant-select-item-option[title="${s.year - 1}年"]`).click();
    await expect.poll(() => number(page.getByTestId('continuity-insured'))).toBe(last.insured);
    expect(last.insured).not.toBe(s.insured);
    expect(await number(page.getByTestId('continuity-persons'))).toBe(last.persons);
    await page.getByTestId('continuity-year').click();
    await page.locator(`.ant-select-dropdown:visible .ant-select-item-option[title="${s.year}年（正在征缴）"]`).click();
    await expect.poll(() => number(page.getByTestId('continuity-insured'))).toBe(s.insured);
    await expect.poll(() => number(page.getByTestId('continuity-total'))).toBe(s.atRisk);
    expect(await pageScrolls()).toBe(false);
    await screenshot('page');
  });

  it('a township narrows the list to its own people; a row shows its 说明', async () => {
    const all = await engine<AtRiskResponse>('continuity.atRisk', { offset: 0, limit: 5000 });
    const counts = new Map<string, number>();
    for (const r of all.rows) counts.set(r.township, (counts.get(r.township) ?? 0) + 1);
    const [township, n] = [...counts].filter(([t]) => t).sort((a, b) => b[1] - a[1])[0]!;
    expect(n).toBeLessThan(all.total);
    await page.getByTestId('continuity-township').click();
    await page.locator(`.ant-select-dropdown:visible .ant-select-item-option[title="${township}"]`).click();
    await expect.poll(() => number(page.getByTestId('continuity-total'))).toBe(n);
    const first = all.rows.find((r) => r.township === township)!;
    const firstRow = page.getByTestId('virtual-row').first();
    await expect.poll(() => text(firstRow)).toContain(first.personId);
    await firstRow.click();
    await expect.poll(() => text(page.getByTestId('continuity-explanation-text'))).toBe(first.explanation);
    expect(first.explanation).toMatch(/[\u4e00-\u9fa5]/);
    expect(await pageScrolls()).toBe(false);
    await screenshot('township-explained');
  });

  it('一人一档 shows the person’s 历年参保, one row per year, and the explanation of the year', async () => {
    const personId = (await text(page.getByTestId('virtual-row').first())).match(/P\d{8}/)![0];
    const v = await engine<PersonContinuityView>('continuity.person', { personId });
    // The name in the list opens 一人一档 (as 一人一档 under the row's 说明 does).
    await page.getByTestId('virtual-row').first().getByTestId('continuity-name').click();
    const drawer = page.getByTestId('person-drawer');
    await expect.poll(() => text(drawer.locator('.ant-drawer-title'))).toContain(personId);
    const rows = drawer.getByTestId('person-year-row');
    await expect.poll(() => rows.count()).toBe(yearsImported.length);
    expect(v.years.map((y) => y.year)).toEqual(yearsImported);
    const shown = await rows.evaluateAll((trs) =>
      trs.map((tr) => Array.from(tr.querySelectorAll('td')).map((td) => td.textContent ?? '')),
    );
    // The generated rolls carry no 缴费日期: an enrolled year says the roll does not give the day.
    expect(shown).toEqual(
      v.years.map((y) => [`${y.year}年`, y.enrolment, y.enrolment === '未参保' ? '' : '名册未载', y.evidence]),
    );
    // An at-risk person was insured last year and has not paid this year.
    expect(v.years.at(-2)!.enrolment).not.toBe('未参保');
    expect(v.years.at(-1)!.enrolment).toBe('未参保');
    expect(await text(drawer.getByTestId('person-years-explanation'))).toBe(v.explanation);
    expect(v.explanation).toContain('连续参保');
    await drawer.getByTestId('person-years').scrollIntoViewIfNeeded();
    await screenshot('drawer-years');
    await drawer.locator('.ant-drawer-close').click();
    await expect.poll(() => drawer.count()).toBe(0);
    await page.getByTestId('continuity-open-person').click();
    await expect.poll(() => text(drawer.locator('.ant-drawer-title'))).toContain(personId);
    await drawer.locator('.ant-drawer-close').click();
    await expect.poll(() => drawer.count()).toBe(0);
  });

  it('导出断保风险名单 writes a workbook per township for the year chosen, listed with the persons it holds', async () => {
    const s = await engine<ContinuitySummaryView>('continuity.summary');
    // Last year chosen on the page: the workbooks are that year's.
    const chosen = s.year - 1;
    const last = await engine<ContinuitySummaryView>('continuity.summary', { year: chosen });
    await page.getByTestId('continuity-year').click();
    await page.locator(`.ant-select-dropdown:visible .ant-select-item-option[title="${chosen}年"]`).click();
    await expect.poll(() => number(page.getByTestId('continuity-insured'))).toBe(last.insured);
    await page.getByTestId('continuity-export-open').click();
    await page.getByTestId('continuity-export-choose').click();
    await expect.poll(() => page.getByTestId('continuity-export-dir').inputValue()).toBe(harness.exportDir);
    await page.getByTestId('continuity-export-run').click();
    const files = page.getByTestId('continuity-export-files');
    // Pairs waiting for review, if the match left any, are said first; the clerk exports as is.
    const asIs = page.getByTestId('continuity-export-as-is');
    await expect
      .poll(async () => (await asIs.count()) + (await files.count()), { timeout: 120_000 })
      .toBeGreaterThan(0);
    if (await asIs.count()) await asIs.click();
    await files.waitFor({ timeout: 120_000 });
    const names = await page.getByTestId('continuity-export-file').allTextContents();
    expect(names.length).toBeGreaterThan(0);
    const onDisk = (readdirSync(harness.exportDir, { recursive: true }) as string[]).map((p) => basename(p));
    for (const f of names) {
      expect(onDisk).toContain(f);
      expect(f).toContain('连续参保与断保风险名单');
      expect(f).toMatch(new RegExp(`_${chosen}\\.xlsx$`));
    }
    const rows = await files
      .locator('.ant-list-item')
      .evaluateAll((lis) => lis.map((li) => Number(/([\d,]+) 行/.exec(li.textContent ?? '')![1]!.replace(/,/g, ''))));
    expect(rows.reduce((a, r) => a + r, 0)).toBe(s.persons);
    expect(await pageScrolls()).toBe(false);
    await screenshot('exported');
  });
});
