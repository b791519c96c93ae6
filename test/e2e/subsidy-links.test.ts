/// <reference lib="dom" />
import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Workspace } from '../../electron/core/db/workspace';
import { importFile } from '../../electron/core/import/import-file';
import { runMatch } from '../../electron/core/match/run-match';
import { importSubsidyList } from '../../electron/core/subsidy/subsidy-import';
import type { SubsidySummaryView } from '../../shared/ipc/contract';
import { nameKeys } from '../../shared/text/name';
import { generateCounty } from '../fixtures/county-generator';
import { linkTruth, type DamagedRow } from '../fixtures/subsidy-damage';
import { generateSubsidyLists } from '../fixtures/subsidy-lists';
import { launchChromium } from '../helpers/browser';
import { tempDir } from '../helpers/files';
import { FIXED_SEED } from '../helpers/seed';
import { builtRenderer, startHarness, type Harness } from './harness';

// A clerk at 1366×768 with a 民政 list some of whose ID numbers find nobody (a typo, a swap, an old 15-digit number):
// the 资助对象 page lists them under 待确认的名单人员 with the person of the same name and birth date and why; the
// clerk links one, and the counts move as the engine says.
const root = resolve(import.meta.dirname, '../..');
const shots = join(root, 'test-output', 'screenshots');
const dir = tempDir('canbao-e2e-subsidy-links-');
const workspace = join(dir, '县2026.canbao');
let harness: Harness;
let browser: Browser;
let page: Page;
let shot = 0;
let damaged: DamagedRow[];
let insuredIds: Set<string>;

async function screenshot(name: string) {
  await page.waitForFunction(() => document.getAnimations().every((a) => a.playState !== 'running'));
  await page.screenshot({ path: join(shots, `subsidy-links-${String(++shot).padStart(2, '0')}-${name}.png`) });
}
const text = async (l: Locator) => (await l.textContent()) ?? '';
const count = async (testId: string) => Number((await text(page.getByTestId(testId))).replace(/\D/g, ''));

async function engine<T>(channel: string, body: unknown = {}): Promise<T> {
  const res = await fetch(`${new URL(harness.url).origin}/api/${channel}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-canbao-token': harness.token },
    body: JSON.stringify(body),
  });
  return ((await res.json()) as { result: T }).result;
}

beforeAll(async () => {
  mkdirSync(shots, { recursive: true });
  for (const f of readdirSync(shots)) if (/^subsidy-links-\d+-.*\.png$/.test(f)) rmSync(join(shots, f));
  const { truth, county } = await generateCounty({ people: 800, seed: FIXED_SEED, out: join(dir, 'county') });
  const ws = Workspace.open(workspace, { create: true });
  for (const f of truth.files) await importFile(ws, f.path, { kind: f.kind, year: truth.year, actor: '王芳' });
  runMatch(ws, { actor: '王芳' });
  const clean = ws.db.prepare('SELECT 1 FROM record WHERE id_number = ? AND name_key = ? AND person_id IS NOT NULL');
  const insuredNow = ws.db.prepare('SELECT 1 FROM person_status WHERE id_number = ? AND insured = 1');
  const links = linkTruth(county, {
    seed: FIXED_SEED,
    usable: (p) => clean.get(p.id18, nameKeys(p.name).key) !== undefined,
    insured: (p) => insuredNow.get(p.id18) !== undefined,
  });
  insuredIds = new Set(county.people.filter((p) => insuredNow.get(p.id18)).map((p) => p.id18));
  damaged = links.damaged;
  mkdirSync(join(dir, 'lists'), { recursive: true });
  const { lists } = generateSubsidyLists(county, {
    seed: FIXED_SEED,
    months: [`${truth.year}-10`],
    out: join(dir, 'lists'),
    links,
  });
  for (const l of lists)
    await importSubsidyList(ws.db, l.file, { department: l.department, month: l.month, actor: '王芳' });
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

describe(`资助对象：待确认的名单人员（浏览器端到端，1366×768，县样例 seed ${FIXED_SEED}）`, () => {
  it('lists each number that finds nobody with the person found and why; 链接到此人 moves the counts', async () => {
    await page.getByRole('menuitem', { name: /^资助对象/ }).click();
    await page.getByTestId('subsidy-lists').waitFor();
    const before = await engine<SubsidySummaryView>('subsidy.summary');
    expect(before.toConfirm).toBeGreaterThanOrEqual(damaged.length);
    expect(await text(page.getByTestId('subsidy-to-confirm'))).toContain(`有 ${before.toConfirm} 人`);
    const card = page.getByTestId('subsidy-links');
    await card.scrollIntoViewIfNeeded();
    expect(await count('subsidy-links-count')).toBe(before.toConfirm);
    await card.locator('.ant-card-head').scrollIntoViewIfNeeded();
    await screenshot('card-top');
    // The row of an insured person listed under a mistyped number: their own name proposed, in plain words.
    const target = damaged.find((d) => d.kind === 'typo' && insuredIds.has(d.trueId))!;
    const row = page.getByTestId('subsidy-link-member').filter({ hasText: target.name }).first();
    await row.scrollIntoViewIfNeeded();
    const candidate = row.getByTestId('subsidy-link-candidate').first();
    expect(await text(candidate.getByTestId('subsidy-link-candidate-name'))).toBe(target.name);
    const words = await text(candidate.getByTestId('subsidy-link-words'));
    expect(words).toContain('姓名一致');
    expect(words).toContain('身份证号只差一位或相邻两位颠倒');
    expect(words.replace(target.name, '')).not.toMatch(/[A-Za-z]{3,}/);
    // Nothing overflows sideways at 1366×768: not the window, not the card.
    const widths = await card.evaluate((e) => ({
      card: e.scrollWidth <= e.clientWidth,
      page: document.documentElement.scrollWidth <= window.innerWidth,
    }));
    expect(widths).toEqual({ card: true, page: true });
    await screenshot('to-confirm');
    await candidate.getByTestId('subsidy-link-confirm').click();
    await expect.poll(() => count('subsidy-links-count')).toBe(before.toConfirm - 1);
    const after = await engine<SubsidySummaryView>('subsidy.summary');
    expect(after).toMatchObject({
      toConfirm: before.toConfirm - 1,
      listed: before.listed,
      insured: before.insured + 1,
      uninsured: before.uninsured - 1,
    });
    expect(await count('subsidy-uninsured')).toBe(after.uninsured);
    expect(await count('subsidy-insured')).toBe(after.insured);
    expect(await page.getByTestId('subsidy-link-member').filter({ hasText: target.name }).count()).toBe(0);
    await screenshot('linked');
    // 不是同一人 on another row: it leaves the list, and the person stays 未参保 in the counts.
    const other = damaged.find((d) => d.kind === 'fifteen' && !insuredIds.has(d.trueId))!;
    const otherRow = page.getByTestId('subsidy-link-member').filter({ hasText: other.name }).first();
    await otherRow.scrollIntoViewIfNeeded();
    expect(await text(otherRow.getByTestId('subsidy-link-words'))).toContain('只有前6位地区码不同');
    await otherRow.getByTestId('subsidy-link-candidate').first().getByTestId('subsidy-link-reject').click();
    await expect.poll(() => count('subsidy-links-count')).toBe(before.toConfirm - 2);
    expect(await engine<SubsidySummaryView>('subsidy.summary')).toMatchObject({
      toConfirm: before.toConfirm - 2,
      uninsured: after.uninsured,
    });
    expect(await page.getByTestId('subsidy-link-member').filter({ hasText: other.name }).count()).toBe(0);
    await screenshot('rejected');
  });
});
