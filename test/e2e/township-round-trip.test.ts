/// <reference lib="dom" />
import { existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Workspace } from '../../electron/core/db/workspace';
import { importFile } from '../../electron/core/import/import-file';
import { runMatch } from '../../electron/core/match/run-match';
import { PROGRESS_STATE_LABEL } from '../../shared/domain/participation';
import { categoryLabel } from '../../shared/domain/verification';
import { formatPersonId } from '../../shared/domain/types';
import type { BatchView, RateRowView, RatesResponse } from '../../shared/ipc/contract';
import { todayLocal } from '../../shared/text/clerk-format';
import { generateCounty } from '../fixtures/county-generator';
import { writeAmbiguousRoll } from '../helpers/ambiguous-roll';
import { simulateReturn, type SimulatedReturn } from '../fixtures/returns-generator';
import { launchChromium } from '../helpers/browser';
import { tempDir } from '../helpers/files';
import { FIXED_SEED } from '../helpers/seed';
import { builtRenderer, startHarness, type Harness } from './harness';

// A clerk closing the loop with the townships at 1366×768: 下发 every township's 未参保 ledger, import one township's
// return as WPS leaves it, read the summary and the problem rows, see 进度 on both bases and the person's history.
// The county is imported and matched by the engine beforehand; every number on screen is checked against the
// engine's own answer (results.rates, dispatch.list) or the simulated return's truth.
const root = resolve(import.meta.dirname, '../..');
const shots = join(root, 'test-output', 'screenshots');
const dir = tempDir('canbao-e2e-township-');
const workspace = join(dir, '县2026.canbao');
let harness: Harness;
let browser: Browser;
let page: Page;
let shot = 0;
let returned: SimulatedReturn;
let ledgerTownship = '';

async function screenshot(name: string) {
  await page.waitForFunction(() => document.getAnimations().every((a) => a.playState !== 'running'));
  await page.screenshot({ path: join(shots, `township-${String(++shot).padStart(2, '0')}-${name}-screenshot.png`) });
}
const go = (menu: string) => page.getByRole('menuitem', { name: new RegExp(`^${menu}`) }).click();
const text = async (l: Locator) => (await l.textContent()) ?? '';
const count = async (testId: string) => Number((await text(page.getByTestId(testId))).replace(/\D/g, ''));

/** The engine's answer to a request, through the same service the page uses. */
async function engine<T>(channel: string): Promise<T> {
  const res = await fetch(`${new URL(harness.url).origin}/api/${channel}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-canbao-token': harness.token },
    body: '{}',
  });
  return ((await res.json()) as { result: T }).result;
}

/** The window itself never scrolls, and the element is wholly inside it. */
async function inSight(what: Locator): Promise<{ pageScrolls: boolean; inside: boolean }> {
  const box = (await what.boundingBox())!;
  const d = await page.evaluate(() => ({
    h: document.documentElement.scrollHeight,
    w: document.documentElement.scrollWidth,
    ih: window.innerHeight,
    iw: window.innerWidth,
  }));
  return {
    pageScrolls: d.h > d.ih || d.w > d.iw,
    inside: box.y >= 0 && box.x >= 0 && box.y + box.height <= d.ih && box.x + box.width <= d.iw,
  };
}

const pct = (x: number) => `${(x * 100).toFixed(2)}%`;
const n = (x: number) => x.toLocaleString('zh-CN');

beforeAll(async () => {
  mkdirSync(shots, { recursive: true });
  for (const f of readdirSync(shots)) if (/^township-\d+-.*\.png$/.test(f)) rmSync(join(shots, f));
  const { truth } = await generateCounty({ people: 800, seed: FIXED_SEED, out: join(dir, 'county') });
  const ws = Workspace.open(workspace, { create: true });
  for (const f of truth.files) await importFile(ws, f.path, { kind: f.kind, year: truth.year, actor: '王芳' });
  // Six base persons typed again without ID numbers in another township: pairs a clerk must look at, which the
  // warnings below are about (the generated county alone leaves none since the matcher's accuracy work).
  const extra = writeAmbiguousRoll(workspace, join(dir, '补录名册.csv'), { elsewhere: true });
  await importFile(ws, extra, { kind: 'resident_urban', year: truth.year, actor: '王芳' });
  runMatch(ws, { actor: '王芳' });
  ws.close();
  harness = await startHarness({ rendererDir: builtRenderer(root), dataDir: join(dir, 'app') });
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1366, height: 768 }, locale: 'zh-CN' });
  page.setDefaultTimeout(30_000);
  await page.goto(harness.url);
  await page.getByTestId('workspace-path').fill(workspace);
  await page.getByTestId('workspace-create').click();
  await page.getByText('已导入的名册').waitFor();
}, 300_000);

afterAll(async () => {
  await browser?.close();
  await harness?.close();
});

describe(`乡镇核实与进度（浏览器端到端，1366×768，县样例 seed ${FIXED_SEED}）`, () => {
  it('下发: every township gets its ledger under one 批次号; the persons equal the open 未参保 list', async () => {
    await go('乡镇核实');
    await page.getByTestId('dispatch-choose').click();
    await expect.poll(() => page.getByTestId('dispatch-dir').inputValue()).toBe(harness.exportDir);
    await expect.poll(() => inSight(page.getByTestId('dispatch-run'))).toEqual({ pageScrolls: false, inside: true });
    await screenshot('dispatch-form');
    await page.getByTestId('dispatch-run').click();
    // This county has a pair still waiting for review: the clerk is told before the ledgers leave.
    const status = await engine<{ reviewPending: number }>('workspace.status');
    expect(status.reviewPending).toBeGreaterThan(0);
    await expect
      .poll(() => text(page.getByTestId('dispatch-warning')))
      .toContain(`还有 ${status.reviewPending} 对记录待复核`);
    await screenshot('dispatch-warning');
    await page.getByTestId('dispatch-as-is').click();
    const done = page.getByTestId('dispatch-done');
    await done.waitFor({ timeout: 120_000 });
    const batchNo = await text(page.getByTestId('dispatch-batch-no'));
    expect(batchNo).toMatch(/^\d{8}-01$/);
    const { batches } = await engine<{ batches: BatchView[] }>('dispatch.list');
    expect(batches.map((b) => b.batchNo)).toEqual([batchNo]);
    expect(await count('dispatch-persons')).toBe(batches[0]!.persons);
    // One row per township the batch went to, with its own count, together the batch's persons.
    const rows = await page
      .getByTestId('dispatch-townships-done')
      .locator('tbody tr.ant-table-row')
      .evaluateAll((trs) => trs.map((tr) => Array.from(tr.querySelectorAll('td')).map((td) => td.textContent ?? '')));
    expect(rows.map((r) => r[0])).toEqual(batches[0]!.townships);
    expect(rows.reduce((a, r) => a + Number(r[1]!.replace(/\D/g, '')), 0)).toBe(batches[0]!.persons);
    expect(rows.every((r) => r[2]!.endsWith('.xlsx'))).toBe(true);
    await expect.poll(() => inSight(done)).toMatchObject({ pageScrolls: false });
    await screenshot('dispatched');
  });

  it('导入核实回执: a return as WPS leaves it; the summary and every problem row match what the township wrote', async () => {
    const ledgers = (readdirSync(harness.exportDir, { recursive: true }) as string[])
      .filter((f) => f.endsWith('.xlsx') && f.includes('_未参保人员台账_'))
      .map((f) => join(harness.exportDir, f));
    expect(ledgers.length).toBeGreaterThan(0);
    // A return with problem rows in it (the seeds are fixed: the same one every run).
    for (let i = 0; !returned || !returned.rows.some((r) => r.outcome === 'problem'); i++) {
      const ledger = ledgers[i % ledgers.length]!;
      returned = simulateReturn(ledger, join(dir, `${basename(ledger, '.xlsx')}（回执）.xlsx`), {
        seed: FIXED_SEED + i,
        format: 'xlsx',
        today: todayLocal(),
        days: 5,
      });
      ledgerTownship = basename(ledger).split('_')[0]!;
      expect(i).toBeLessThan(40);
    }
    const truth = returned.rows;
    await page.getByRole('tab', { name: '导入核实回执' }).click();
    await page.getByTestId('returns-drop').locator('input[type=file]').setInputFiles(returned.file);
    await expect.poll(() => text(page.getByTestId('returns-files'))).toContain(basename(returned.file));
    await page.getByTestId('returns-run').click();
    await page.getByTestId('returns-summary').waitFor({ timeout: 120_000 });
    const of = (o: string) => truth.filter((r) => r.outcome === o).length;
    expect(await count('returns-rows')).toBe(truth.length);
    expect(await count('returns-applied')).toBe(of('applied'));
    expect(await count('returns-unanswered')).toBe(of('unanswered'));
    expect(await count('returns-problems-count')).toBe(of('problem'));
    expect(await text(page.getByTestId('returns-next'))).toContain('改正后重新发回');
    // The problem rows, in the file's order: each at its sheet and row, naming the column the truth says.
    const problems = truth
      .filter((r) => r.outcome === 'problem')
      .sort((a, b) => a.sheet.localeCompare(b.sheet, 'zh-CN') || a.row - b.row);
    await expect.poll(() => page.getByTestId('returns-summary').getByTestId('virtual-row').count()).toBeGreaterThan(0);
    const shown = await page
      .getByTestId('returns-summary')
      .getByTestId('virtual-row')
      .evaluateAll((rows) =>
        rows.map((r) =>
          Array.from(r.children)
            .slice(1)
            .map((c) => c.textContent ?? ''),
        ),
      );
    expect(shown.length).toBe(Math.min(problems.length, shown.length));
    shown.forEach(([file, sheet, row, column, message], i) => {
      expect(file).toBe(basename(returned.file));
      expect({ sheet, row: Number(row) }).toEqual({ sheet: problems[i]!.sheet, row: problems[i]!.row });
      if (problems[i]!.column) expect(column).toBe(problems[i]!.column);
      expect(message!.length).toBeGreaterThan(4);
    });
    await expect
      .poll(() => inSight(page.getByTestId('returns-problems-copy')))
      .toEqual({ pageScrolls: false, inside: true });
    await screenshot('returns-summary');
    // Sorted by 行, descending: the last problem row comes first.
    await page.getByTestId('returns-summary').getByTestId('column-行').click();
    await page.getByTestId('returns-summary').getByTestId('column-行').click();
    const maxRow = Math.max(...problems.map((p) => p.row));
    await expect
      .poll(async () =>
        text(page.getByTestId('returns-summary').getByTestId('virtual-row').first().locator('> div').nth(3)),
      )
      .toBe(String(maxRow));
    // The same return again (a township sent it twice): nothing new is counted, each answer is 未变.
    await page.getByTestId('returns-drop').locator('input[type=file]').setInputFiles(returned.file);
    await page.getByTestId('returns-run').click();
    await expect.poll(() => count('returns-unchanged')).toBe(of('applied'));
    expect(await count('returns-applied')).toBe(0);
    expect(await count('returns-problems-count')).toBe(of('problem'));
    // 已回收 of the batch: the persons with an applied answer.
    const answered = new Set(truth.filter((r) => r.outcome === 'applied').map((r) => r.personId)).size;
    await page.getByRole('tab', { name: /^下发批次/ }).click();
    const batchRow = page.getByTestId('batch-list').locator('tbody tr.ant-table-row').first();
    await expect
      .poll(async () => (await batchRow.locator('td').nth(5).textContent())?.replace(/\D/g, ''))
      .toBe(String(answered));
    await screenshot('batches');
  });

  it('进度: each township with both rates, counts and state exactly as the engine computes them, ranked on its basis', async () => {
    const rates = await engine<RatesResponse>('results.rates');
    await go('进度');
    const table = page.getByTestId('progress-table');
    const rowsShown = () =>
      page
        .getByTestId('progress-row')
        .evaluateAll((trs) =>
          trs.map((tr) => Array.from(tr.querySelectorAll('td')).map((td) => (td.textContent ?? '').trim())),
        );
    await expect.poll(async () => (await rowsShown()).length).toBe(rates.townships.length);
    const cells = (r: RateRowView) => [
      n(r.base),
      n(r.removed),
      n(r.due),
      n(r.insured),
      n(r.insuredElsewhere),
      pct(r.rateHousehold),
      pct(r.rateLocal),
      n(r.dispatched),
      n(r.verified),
      pct(r.verifiedRate),
      n(r.mobilised),
      n(r.remaining),
      PROGRESS_STATE_LABEL[r.state],
    ];
    const shown = await rowsShown();
    // Ranked best first on the basis the settings name (户籍口径 by default).
    const ranked = [...rates.townships].sort((a, b) => b.rate - a.rate);
    expect(shown.map((r) => r[1])).toEqual(ranked.map((t) => t.township));
    shown.forEach((r, i) => expect(r.slice(2)).toEqual(cells(ranked[i]!)));
    // The township whose return came back has its answers counted.
    const answered = new Set(returned.rows.filter((r) => r.outcome === 'applied').map((r) => r.personId)).size;
    const back = rates.townships.find((t) => t.township === ledgerTownship)!;
    expect(back.verified).toBe(answered);
    expect(await text(page.getByTestId('progress-rule'))).toContain(
      `按户籍口径参保率排名：达到 ${Math.round(rates.target * 1000) / 10}% 为达标，低于 ${Math.round(rates.lagRate * 1000) / 10}% 为滞后`,
    );
    expect(await text(page.getByTestId('progress-total'))).toContain(`全县：户籍口径参保率 ${pct(rates.county.rate)}`);
    // Lagging rows are flagged in red.
    for (const r of rates.townships.filter((t) => t.state === 'lagging'))
      expect(
        await page
          .locator(`[data-testid=progress-row][data-place="${r.township}"]`)
          .evaluate((tr) => getComputedStyle(tr).backgroundColor),
      ).toBe('rgb(255, 241, 240)');
    // 复制 puts the ranking on the clipboard as WPS pastes it: one cell per value, in the order shown.
    await page
      .context()
      .grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(harness.url).origin });
    await page.getByTestId('progress-copy').click();
    const clipboard = () => page.evaluate(() => navigator.clipboard.readText());
    await expect.poll(clipboard).toMatch(/^排名\t乡镇\t户籍人口\t/);
    const pasted = (await clipboard())
      .split('\n')
      .slice(1)
      .map((l) => l.split('\t'));
    expect(pasted.map((l) => [l[1], Number(l[2]), l[7], l[8]])).toEqual(
      ranked.map((t) => [t.township, t.base, pct(t.rateHousehold), pct(t.rateLocal)]),
    );
    await page.getByTestId('trend-chart').waitFor();
    await expect.poll(() => inSight(page.getByTestId('bulletin-export'))).toEqual({ pageScrolls: false, inside: true });
    await expect.poll(() => inSight(table)).toMatchObject({ pageScrolls: false });
    await screenshot('progress-townships');

    // A township's villages, each as the engine counts it.
    await page.locator(`[data-testid=progress-row][data-place="${back.township}"]`).click();
    const villages = rates.villages.filter((v) => v.township === back.township).sort((a, b) => b.rate - a.rate);
    await expect.poll(async () => (await rowsShown()).map((r) => r[1])).toEqual(villages.map((v) => v.village));
    expect((await rowsShown()).map((r) => r.slice(2))).toEqual(villages.map(cells));
    await screenshot('progress-villages');

    await page.getByTestId('bulletin-export').click();
    const exported = page.getByTestId('bulletin-exported');
    await exported.waitFor({ timeout: 120_000 });
    const file = (await text(exported)).match(/：(.+\.xlsx)/)![1]!;
    expect(file.startsWith(harness.exportDir)).toBe(true);
    expect(existsSync(file)).toBe(true);
    await screenshot('bulletin-exported');
  });

  it('一人一档 shows the person’s 下发批次 and the answer that counts, with its file, sheet and row', async () => {
    const answer = returned.rows.find((r) => r.outcome === 'applied' && r.personId !== null)!;
    const personId = formatPersonId(answer.personId);
    await go('结果');
    await page.getByRole('tab', { name: '全部人员' }).click();
    await page.getByTestId('filter-text').locator('input').fill(personId);
    await page.getByTestId('filter-text').locator('input').press('Enter');
    await expect.poll(() => count('list-total')).toBe(1);
    await page.getByTestId('virtual-row').first().locator('> div').nth(2).click();
    const drawer = page.getByTestId('person-drawer');
    const trip = drawer.getByTestId('person-round-trip');
    await expect.poll(() => text(trip)).toContain('下发 1 次，回执 1 条');
    const { batches } = await engine<{ batches: BatchView[] }>('dispatch.list');
    expect(await text(drawer.getByTestId('person-dispatches'))).toContain(batches[0]!.batchNo);
    expect(await text(drawer.getByTestId('person-round-trip-current'))).toContain(
      `现行核实情况：${categoryLabel(answer.code!)}`,
    );
    const answers = await text(drawer.getByTestId('person-answers'));
    expect(answers).toContain(`${basename(returned.file)} / ${answer.sheet} 第${answer.row}行`);
    expect(answers).toContain(answer.verifiedOn!);
    expect(answers).toContain('王芳');
    expect(answers).toContain('计入参保率');
    await screenshot('person-history');
    await drawer.locator('.ant-drawer-close').click();
    await drawer.waitFor({ state: 'hidden' });
  });

  it('设置: ranking on 本地口径 with another 滞后线 changes how 进度 ranks and flags, as the engine then computes', async () => {
    await go('工作区');
    await page.getByTestId('settings-rate-basis').click();
    await page.locator('.ant-select-item-option[title="本地口径"]').click();
    const lag = page.locator('[data-testid=settings-lag-rate] input, input[data-testid=settings-lag-rate]').first();
    await lag.fill('95');
    await lag.press('Tab');
    await page.getByTestId('settings-save').click();
    await expect
      .poll(async () => (await engine<{ rateBasis: string; lagRate: number }>('settings.get')).rateBasis)
      .toBe('local');
    expect((await engine<{ lagRate: number }>('settings.get')).lagRate).toBeCloseTo(0.95, 10);
    await page.getByTestId('settings-participation').scrollIntoViewIfNeeded();
    await screenshot('settings');
    const rates = await engine<RatesResponse>('results.rates');
    expect(rates.basis).toBe('local');
    await go('进度');
    await expect.poll(() => text(page.getByTestId('progress-rule'))).toContain('按本地口径参保率排名');
    expect(await text(page.getByTestId('progress-rule'))).toContain('低于 95% 为滞后');
    const shown = await page
      .getByTestId('progress-row')
      .evaluateAll((trs) => trs.map((tr) => [tr.getAttribute('data-place'), tr.getAttribute('data-state')]));
    const ranked = [...rates.townships].sort((a, b) => b.rateLocal - a.rateLocal);
    expect(shown).toEqual(ranked.map((t) => [t.township, t.state]));
    // With the 滞后线 at the target, every township short of it lags, and is shown so.
    const lagging = rates.townships.filter((t) => t.state === 'lagging');
    expect(lagging.length).toBeGreaterThan(0);
    expect(await text(page.getByTestId('progress-total'))).toContain(`${lagging.length} 个乡镇滞后`);
    for (const r of lagging)
      expect(
        await page
          .locator(`[data-testid=progress-row][data-place="${r.township}"]`)
          .evaluate((tr) => getComputedStyle(tr).backgroundColor),
      ).toBe('rgb(255, 241, 240)');
    await screenshot('progress-local-basis');
  });
});
