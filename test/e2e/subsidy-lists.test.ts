/// <reference lib="dom" />
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import * as XLSX from '@e965/xlsx';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Workspace } from '../../electron/core/db/workspace';
import { importFile } from '../../electron/core/import/import-file';
import { runMatch } from '../../electron/core/match/run-match';
import type { SubsidySummaryView } from '../../shared/ipc/contract';
import { generateCounty } from '../fixtures/county-generator';
import { writeAmbiguousRoll } from '../helpers/ambiguous-roll';
import { generateSubsidyLists, type GeneratedList, type ListDiff } from '../fixtures/subsidy-lists';
import { launchChromium } from '../helpers/browser';
import { tempDir } from '../helpers/files';
import { FIXED_SEED } from '../helpers/seed';
import { builtRenderer, startHarness, type Harness } from './harness';

// A clerk with the departments' monthly 资助参保 lists at 1366×768: import them month by month (民政 with identities
// in one cell, 农业农村 with ✓ columns, 残联 a sheet per township), correct a month, read the checks, have a list
// with a row without ID refused whole, export the 台账. The county is imported and matched by the engine beforehand;
// every number on screen is checked against the generator's truth or the engine's own subsidy.summary.
const root = resolve(import.meta.dirname, '../..');
const shots = join(root, 'test-output', 'screenshots');
const dir = tempDir('canbao-e2e-subsidy-');
const workspace = join(dir, '县2026.canbao');
let harness: Harness;
let browser: Browser;
let page: Page;
let shot = 0;
let lists: GeneratedList[];
let diffs: Map<string, ListDiff>;
let months: string[];
let latest: string;

async function screenshot(name: string) {
  await page.waitForFunction(() => document.getAnimations().every((a) => a.playState !== 'running'));
  await page.screenshot({ path: join(shots, `subsidy-${String(++shot).padStart(2, '0')}-${name}.png`) });
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

/** Picks a file, a department and a month as a clerk does, and presses 导入. */
async function importThroughUi(file: string, department: string, month: string) {
  await page.getByTestId('subsidy-drop').locator('input[type=file]').setInputFiles(file);
  await expect.poll(() => text(page.getByTestId('subsidy-drop'))).toContain(basename(file));
  await page.getByTestId('subsidy-department').click();
  await page.locator(`.ant-select-dropdown:visible .ant-select-item-option[title="${department}"]`).click();
  await page.getByTestId('subsidy-month').fill(month);
  await page.getByTestId('subsidy-import-run').click();
}

/** The import's result as shown: 人数, 新增, 变更, 取消. */
async function shownResult() {
  return {
    rows: await count('subsidy-import-rows'),
    added: await count('subsidy-import-added'),
    changed: await count('subsidy-import-changed'),
    cancelled: await count('subsidy-import-cancelled'),
  };
}

const truthOf = (l: GeneratedList) => {
  const d = diffs.get(`${l.department}|${l.month}`)!;
  return { rows: l.members.size, added: d.added.size, changed: d.changed.size, cancelled: d.cancelled.size };
};

beforeAll(async () => {
  mkdirSync(shots, { recursive: true });
  for (const f of readdirSync(shots)) if (/^subsidy-\d+-.*\.png$/.test(f)) rmSync(join(shots, f));
  const { truth, county } = await generateCounty({ people: 800, seed: FIXED_SEED, out: join(dir, 'county') });
  const ws = Workspace.open(workspace, { create: true });
  for (const f of truth.files) await importFile(ws, f.path, { kind: f.kind, year: truth.year, actor: '王芳' });
  // Six base persons typed again without ID numbers in another township: pairs a clerk must look at, which the
  // warnings below are about (the generated county alone leaves none since the matcher's accuracy work).
  const extra = writeAmbiguousRoll(workspace, join(dir, '补录名册.csv'), { elsewhere: true });
  await importFile(ws, extra, { kind: 'resident_urban', year: truth.year, actor: '王芳' });
  runMatch(ws, { actor: '王芳' });
  ws.close();
  mkdirSync(join(dir, 'lists'), { recursive: true });
  // Three months: a person cancelled in the second can come back in the third (a 变更, not 新增).
  months = [`${truth.year}-08`, `${truth.year}-09`, `${truth.year}-10`];
  latest = months.at(-1)!;
  ({ lists, diffs } = generateSubsidyLists(county, { seed: FIXED_SEED, months, out: join(dir, 'lists') }));
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

describe(`资助对象（浏览器端到端，1366×768，县样例 seed ${FIXED_SEED}）`, () => {
  it('导入部门名单: each department month by month, in its own shape; 人数, 新增, 变更, 取消 as the truth has them', async () => {
    await go('资助对象');
    // Nothing imported yet: the page opens on the import form.
    await page.getByTestId('subsidy-drop').waitFor();
    await expect
      .poll(() => inSight(page.getByTestId('subsidy-import-run')))
      .toEqual({
        pageScrolls: false,
        inside: true,
      });
    await screenshot('import-form');
    // A file named after its department and month fills both in.
    const first = lists[0]!;
    await page.getByTestId('subsidy-drop').locator('input[type=file]').setInputFiles(first.file);
    await expect.poll(() => text(page.getByTestId('subsidy-department'))).toBe(first.department);
    expect(await page.getByTestId('subsidy-month').inputValue()).toBe(first.month);
    for (const l of lists) {
      await importThroughUi(l.file, l.department, l.month);
      const done = page.getByTestId('subsidy-import-done');
      await expect
        .poll(() => text(done), { timeout: 120_000 })
        .toContain(`已导入：${l.department} ${l.month} 全量名单`);
      expect(await shownResult(), `${l.department} ${l.month}`).toEqual(truthOf(l));
      if (l === lists[0]) await screenshot('imported-first');
    }
    // Every department shape and every month went in, and the later months had every kind of change.
    expect(new Set(lists.map((l) => l.department))).toEqual(new Set(['民政', '农业农村', '残联']));
    const later = lists.filter((l) => l.month !== months[0]).map(truthOf);
    for (const k of ['added', 'changed', 'cancelled'] as const)
      expect(
        later.reduce((a, r) => a + r[k], 0),
        k,
      ).toBeGreaterThan(0);
    await expect.poll(() => inSight(page.getByTestId('subsidy-import-done'))).toMatchObject({ pageScrolls: false });
    await screenshot('imported-month-two');
  });

  it('更正: the same department and month again replaces the list, said so, with the diff against the month before', async () => {
    const l = lists.find((x) => x.department === '民政' && x.month === latest)!;
    await importThroughUi(l.file, l.department, l.month);
    await expect
      .poll(() => text(page.getByTestId('subsidy-import-note')), { timeout: 120_000 })
      .toContain('更正了同月名单');
    expect(await shownResult()).toEqual(truthOf(l));
    await screenshot('corrected');
  });

  it('核查结果: every count exactly as subsidy.summary; 未参保 in red while anyone is not insured', async () => {
    const s = await engine<SubsidySummaryView>('subsidy.summary');
    await page.getByRole('tab', { name: '核查结果' }).click();
    await page.getByTestId('subsidy-lists').waitFor();
    expect(await page.getByTestId('subsidy-not-matched').count()).toBe(0);
    for (const d of ['民政', '农业农村', '残联']) {
      const l = s.lists.find((x) => x.department === d)!;
      expect(l.month).toBe(latest);
      const card = page.getByTestId(`subsidy-list-${d}`);
      expect(await text(card.getByTestId('subsidy-list-month'))).toBe(l.month);
      expect(Number((await text(card.getByTestId('subsidy-list-rows'))).replace(/\D/g, ''))).toBe(l.rows);
      expect(l.rows).toBe(lists.find((x) => x.department === d && x.month === latest)!.members.size);
    }
    expect(await text(page.getByTestId('subsidy-list-退役军人'))).toContain('还没有导入');
    const keys = [
      'listed',
      'insured',
      'insuredEmployee',
      'insuredElsewhere',
      'uninsured',
      'diedBeforeYear',
      'wrongSubsidy',
      'unlistedSubsidised',
      'added',
      'changed',
      'cancelled',
    ] as const;
    const shown = Object.fromEntries(await Promise.all(keys.map(async (k) => [k, await count(`subsidy-${k}`)])));
    expect(shown).toEqual(Object.fromEntries(keys.map((k) => [k, s[k]])));
    // The county's lists reach people not yet insured: the 100% check shows red and says how far it is.
    expect(s.uninsured).toBeGreaterThan(0);
    expect(await page.getByTestId('subsidy-uninsured').evaluate((e) => getComputedStyle(e.parentElement!).color)).toBe(
      'rgb(207, 19, 34)',
    );
    expect(await text(page.getByTestId('subsidy-tile-uninsured'))).toContain(
      `已参保 ${(s.insured + s.insuredElsewhere).toLocaleString('zh-CN')} / ${(s.listed - s.diedBeforeYear).toLocaleString('zh-CN')}`,
    );
    await expect
      .poll(() => inSight(page.getByTestId('subsidy-tile-unlistedSubsidised')))
      .toEqual({
        pageScrolls: false,
        inside: true,
      });
    await screenshot('summary');
  });

  it('a list with a row without ID is refused whole, the row named in Chinese; the checks stay as they were', async () => {
    const before = await engine<SubsidySummaryView>('subsidy.summary');
    const l = lists.find((x) => x.department === '民政' && x.month === latest)!;
    const members = [...l.members];
    const [id, ids] = members[0]!;
    const ids2 = members[1]![1];
    // Row 3 carries an ID; row 4 has a name and identity but no ID.
    const aoa = [
      ['医疗救助对象全量名单'],
      ['序号', '姓名', '身份证号码', '镇（街）', '村（居）', '医疗救助身份'],
      [1, '张三', id, '', '', ids.includes('tekun') ? '特困' : '低保'],
      [2, '李四', '', '', '', ids2.includes('tekun') ? '特困' : '低保'],
    ];
    const wb = XLSX.utils.book_new();
    XLSX.utils.book_append_sheet(wb, XLSX.utils.aoa_to_sheet(aoa), '全量名单');
    const bad = join(dir, 'lists', '民政_资助参保名单_缺身份证号.xlsx');
    writeFileSync(bad, XLSX.write(wb, { type: 'buffer', bookType: 'xlsx' }) as Buffer);
    await page.getByRole('tab', { name: '导入部门名单' }).click();
    await importThroughUi(bad, '民政', latest);
    const refusal = page.getByTestId('subsidy-import-error');
    await refusal.waitFor({ timeout: 120_000 });
    expect(await text(refusal)).toContain('名单未导入，工作区没有改动');
    const said = await text(page.getByTestId('subsidy-import-error-text'));
    expect(said).toContain(`文件“${basename(bad)}”：这份资助名单有 1 行`);
    expect(said).toContain('整份名单未导入');
    expect(said).toContain('工作表“全量名单”第4行 C列：没有填写身份证号');
    expect(said.replace(basename(bad), '')).not.toMatch(/[A-Za-z]{3,}/);
    expect(await page.getByTestId('subsidy-import-done').count()).toBe(0);
    expect(await engine<SubsidySummaryView>('subsidy.summary')).toEqual(before);
    // 复制 puts the whole message on the clipboard, with the file, to send back to the department.
    await page
      .context()
      .grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(harness.url).origin });
    await page.getByTestId('subsidy-import-error-copy').click();
    await expect
      .poll(() => page.evaluate(() => navigator.clipboard.readText()))
      .toContain(`文件“${basename(bad)}”：这份资助名单有 1 行`);
    await expect.poll(() => inSight(refusal)).toEqual({ pageScrolls: false, inside: true });
    await screenshot('refused');
    // An earlier month after a later one is refused too: months go in order, only the latest may be corrected.
    const earlier = lists.find((x) => x.department === '民政' && x.month === months[0])!;
    await importThroughUi(earlier.file, '民政', earlier.month);
    await expect
      .poll(() => text(page.getByTestId('subsidy-import-error-text')), { timeout: 120_000 })
      .toContain(`民政的资助名单已导入到 ${latest}，不能再导入更早的 ${earlier.month}`);
    expect(await engine<SubsidySummaryView>('subsidy.summary')).toEqual(before);
  });

  it('导出资助台账: a 特殊对象资助参保台账 per township with every listed person, and the 资助名单变化', async () => {
    const s = await engine<SubsidySummaryView>('subsidy.summary');
    await page.getByRole('tab', { name: '导出资助台账' }).click();
    await page.getByTestId('subsidy-export-choose').click();
    await expect.poll(() => page.getByTestId('subsidy-export-dir').inputValue()).toBe(harness.exportDir);
    await page.getByTestId('subsidy-export-run').click();
    // This county has a pair waiting for review: the clerk is told before the 台账 leave, and exports as is.
    const status = await engine<{ reviewPending: number }>('workspace.status');
    expect(status.reviewPending).toBeGreaterThan(0);
    await expect
      .poll(() => text(page.getByTestId('subsidy-export-warning')))
      .toContain(`还有 ${status.reviewPending} 对记录待复核`);
    await screenshot('export-warning');
    await page.getByTestId('subsidy-export-as-is').click();
    const filesCard = page.getByTestId('subsidy-export-files');
    await filesCard.waitFor({ timeout: 120_000 });
    const items = await filesCard.locator('.ant-list-item').evaluateAll((lis) => lis.map((li) => li.textContent ?? ''));
    const onDisk = readdirSync(harness.exportDir, { recursive: true }) as string[];
    const names = await page.getByTestId('subsidy-export-file').allTextContents();
    expect(names.length).toBe(items.length);
    for (const f of names) expect(onDisk.some((p) => basename(p) === f)).toBe(true);
    const ledgers = items.filter((i) => i.includes('_特殊对象资助参保台账_'));
    const rowsOf = (i: string) => Number(/([\d,]+) 行/.exec(i)![1]!.replace(/,/g, ''));
    expect(ledgers.reduce((a, i) => a + rowsOf(i), 0)).toBe(s.listed);
    const changes = items.filter((i) => i.startsWith('资助名单变化_'));
    expect(changes).toHaveLength(1);
    expect(changes[0]).toContain(`${months.length} 个工作表`);
    const allChanges = [...diffs.values()].reduce((a, d) => a + d.added.size + d.changed.size + d.cancelled.size, 0);
    expect(rowsOf(changes[0]!)).toBe(allChanges);
    await expect.poll(() => inSight(filesCard)).toMatchObject({ pageScrolls: false });
    await screenshot('exported');
  });
});
