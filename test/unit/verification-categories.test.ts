import { describe, expect, it } from 'vitest';
import { effectOf, missingEvidence, parseCategory, VERIFICATION_CATEGORIES } from '../../shared/domain/verification';
import { figures, progressState } from '../../shared/domain/participation';
import { FREEHAND } from '../fixtures/returns-generator';

describe('核实情况：村干部怎么写都能认出是哪一项', () => {
  it('reads the words of the issue as their categories', () => {
    expect(parseCategory('已去世')).toBe('06');
    expect(parseCategory('参军')).toBe('07');
    expect(parseCategory('在外地参保')).toBe('03');
    expect(parseCategory('外出打工')).toBe('11');
  });

  it('tells insured elsewhere from working elsewhere, and employee from resident insurance elsewhere', () => {
    expect(parseCategory('外地务工')).toBe('11');
    expect(parseCategory('在外地参加职工医保')).toBe('02');
    expect(parseCategory('外省参保')).toBe('03');
    expect(parseCategory('参加了职工医保')).toBe('01');
    expect(parseCategory('不愿参保')).toBe('12');
    expect(parseCategory('已缴费')).toBe('05');
  });

  it('reads every label of the drop-down, a leading code, and half- or full-width brackets alike', () => {
    for (const c of VERIFICATION_CATEGORIES) expect(parseCategory(c.label)).toBe(c.code);
    expect(parseCategory('06 死亡')).toBe('06');
    expect(parseCategory('6')).toBe('06');
    expect(parseCategory('出国(境)定居')).toBe('09');
  });

  it('reads every freehand form the returns generator writes, and nothing from words it does not know', () => {
    for (const [code, words] of Object.entries(FREEHAND)) for (const w of words) expect(parseCategory(w), w).toBe(code);
    expect(parseCategory('待定')).toBeNull();
    expect(parseCategory('')).toBeNull();
  });

  it('asks each category for its evidence (R2.1): a place, a death date, a payment', () => {
    expect(missingEvidence('06', {})).toEqual(['deathDate']);
    expect(missingEvidence('06', { deathDate: '2025-03-01' })).toEqual([]);
    expect(missingEvidence('03', { note: '外地' })).toEqual(['place']);
    expect(missingEvidence('05', { paidAmount: 400 })).toEqual([]);
    expect(missingEvidence('11', {})).toEqual([]);
  });

  it('removes 出国 and 失联 from the base as the settings say (§6 Q12)', () => {
    expect(effectOf('09', { removeAbroad: true, removeMissing: false })).toBe('removed');
    expect(effectOf('09', { removeAbroad: false, removeMissing: false })).toBe('stays');
    expect(effectOf('13', { removeAbroad: true, removeMissing: false })).toBe('stays');
    expect(effectOf('13', { removeAbroad: true, removeMissing: true })).toBe('removed');
  });
});

describe('参保率的两种口径（R2.2、R2.3）', () => {
  it('computes both bases from the same counts, as the rules table works them', () => {
    // 1000 in the base, 30 removed, 900 insured here, 40 insured elsewhere.
    const f = figures({
      base: 1000,
      removed: 30,
      insured: 900,
      insuredEmployee: 100,
      insuredResident: 800,
      insuredElsewhere: 40,
      dispatched: 70,
      verified: 56,
      mobilised: 7,
      remaining: 10,
    });
    expect(f.due).toBe(970);
    expect(f.rateHousehold).toBeCloseTo(940 / 970, 12);
    expect(f.rateLocal).toBeCloseTo(900 / 930, 12);
    expect(f.verifiedRate).toBeCloseTo(0.8, 12);
    expect(progressState(0.96, 0.95, 0.8)).toBe('reached');
    expect(progressState(0.9, 0.95, 0.8)).toBe('onTrack');
    expect(progressState(0.79, 0.95, 0.8)).toBe('lagging');
  });
});
