import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { PROPERTY_SEED } from '../helpers/seed';
import { checkDigit, convert15to18, hasValidCheckDigit, parseIdNumber } from '../../shared/id/id-number';

const asOf = '2026-11-23';
const parse = (v: unknown, numeric = false) => parseIdNumber(v, { asOf, fromNumericCell: numeric });

/** A valid 18-digit number with the given first 17 digits. */
const with17 = (s: string) => s + checkDigit(s);

describe('身份证号码 GB 11643-1999', () => {
  it('computes the ISO 7064 MOD 11-2 check digit of the standard example', () => {
    // The worked example in GB 11643-1999 appendix: 11010519491231002X.
    expect(checkDigit('11010519491231002')).toBe('X');
    expect(hasValidCheckDigit('11010519491231002X')).toBe(true);
    expect(hasValidCheckDigit('110105194912310021')).toBe(false);
  });

  it('accepts a valid number and derives birth date, gender and region', () => {
    const r = parse('11010519491231002X');
    expect(r).toMatchObject({
      status: 'valid',
      idNumber: '11010519491231002X',
      birthDate: '1949-12-31',
      gender: 'F',
      region: '110105',
      certKind: 'resident',
    });
    const male = parse(with17('61092319900102001'));
    expect(male.gender).toBe('M');
  });

  it('normalises lower-case x, spaces, hyphens, apostrophes and full-width digits instead of calling them errors', () => {
    for (const typed of [
      '11010519491231002x',
      ' 110105 19491231 002X ',
      '110105-19491231-002X',
      "'11010519491231002X",
      '１１０１０５１９４９１２３１００２Ｘ',
    ]) {
      expect(parse(typed)).toMatchObject({ status: 'valid', idNumber: '11010519491231002X' });
    }
  });

  it('converts a 15-digit number by inserting 19 and adding the check digit', () => {
    expect(convert15to18('110105491231002')).toBe('11010519491231002X');
    expect(parse('110105491231002')).toMatchObject({
      status: 'converted15',
      idNumber: '11010519491231002X',
      birthDate: '1949-12-31',
    });
  });

  it('flags a wrong check digit without repairing it', () => {
    const r = parse('110105194912310021');
    expect(r.status).toBe('badChecksum');
    expect(r.idNumber).toBeNull();
    expect(r.problem).toContain('X');
  });

  it('recognises what Excel did to a number: scientific notation, numeric cells, trailing 000', () => {
    expect(parse('6.10923E+17').status).toBe('excelDamaged');
    expect(parse('6.10923199001E+17').status).toBe('excelDamaged');
    expect(parse(610923199001021000).status).toBe('excelDamaged');
    expect(parse('610923199001021234', true).status).toBe('excelDamaged');
    const base = '610923199001021';
    const damaged = base + '000';
    if (hasValidCheckDigit(damaged)) throw new Error('fixture must have a bad check digit');
    expect(parse(damaged).status).toBe('excelDamaged');
    expect(parse(damaged).idNumber).toBeNull();
  });

  it('keeps a 15-digit numeric cell: doubles hold 15 digits exactly', () => {
    expect(parse(110105491231002).status).toBe('converted15');
  });

  it('calls an unknown province, an impossible or future birth date, or a wrong length malformed', () => {
    expect(parse(with17('99010519491231002')).status).toBe('malformed'); // 9 prefix needs a real issuing province next
    expect(parse(with17('00010519491231002')).status).toBe('malformed');
    expect(parse(with17('11010519490231002')).status).toBe('malformed'); // 31 February
    expect(parse(with17('11010520300101002')).status).toBe('malformed'); // born in 2030
    expect(parse(with17('11010518800101002')).status).toBe('malformed'); // 146 years old
    expect(parse('1101051949123100').status).toBe('malformed');
    expect(parse('11010519491231002Y').status).toBe('malformed');
  });

  it('treats empty cells and placeholders as missing', () => {
    for (const v of [null, undefined, '', '  ', '无', '/', '0']) expect(parse(v).status).toBe('missing');
  });

  it('recognises residence permits of Hong Kong, Macao and Taiwan residents and foreign permanent residence cards', () => {
    expect(parse(with17('81000019900101001'))).toMatchObject({ status: 'valid', certKind: 'hkMacaoResidencePermit' });
    expect(parse(with17('82000019900101001'))).toMatchObject({ status: 'valid', certKind: 'hkMacaoResidencePermit' });
    expect(parse(with17('83000019900101001'))).toMatchObject({ status: 'valid', certKind: 'taiwanResidencePermit' });
    expect(parse(with17('93115619900101001'))).toMatchObject({ status: 'valid', certKind: 'foreignPermanent' });
    // 2004 format: USA, issued in 3101 (上海), born 990101, sequence 1, ICAO 9303 check digit 4.
    expect(parse('USA310199010114')).toMatchObject({ status: 'valid', certKind: 'foreignPermanent' });
  });
});

const digits = (n: number) =>
  fc.array(fc.integer({ min: 0, max: 9 }), { minLength: n, maxLength: n }).map((a) => a.join(''));
const validFirst17 = fc
  .tuple(
    fc.constantFrom('11', '32', '44', '51', '61', '65'),
    digits(4),
    fc.date({ min: new Date('1910-01-01'), max: new Date('2025-12-31'), noInvalidDate: true }),
    digits(3),
  )
  .map(([p, r, d, seq]) => p + r + d.toISOString().slice(0, 10).replace(/-/g, '') + seq);

describe(`身份证号码 properties (fast-check seed ${PROPERTY_SEED})`, () => {
  it('every number built with its check digit is valid, and any single-digit change in the first 17 is caught', () => {
    fc.assert(
      fc.property(validFirst17, fc.integer({ min: 0, max: 16 }), fc.integer({ min: 1, max: 9 }), (f17, pos, delta) => {
        const id = with17(f17);
        expect(parse(id).status).toBe('valid');
        const changed = f17.slice(0, pos) + ((+f17[pos]! + delta) % 10) + f17.slice(pos + 1);
        // MOD 11-2 detects every single substitution: the result is never valid with the old check digit.
        expect(hasValidCheckDigit(changed + id[17])).toBe(false);
      }),
    );
  });

  it('15→18 conversion always yields a valid number with the same birth date and gender', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('110105', '610923', '320102'),
        fc.date({ min: new Date('1910-01-01'), max: new Date('1999-12-31'), noInvalidDate: true }),
        digits(3),
        (region, d, seq) => {
          const ymd = d.toISOString().slice(0, 10).replace(/-/g, '');
          const id15 = region + ymd.slice(2) + seq;
          const r = parse(id15);
          expect(r.status).toBe('converted15');
          expect(hasValidCheckDigit(r.idNumber!)).toBe(true);
          expect(r.birthDate).toBe(`${ymd.slice(0, 4)}-${ymd.slice(4, 6)}-${ymd.slice(6, 8)}`);
          expect(r.gender).toBe(+seq[2]! % 2 === 1 ? 'M' : 'F');
        },
      ),
    );
  });

  it('gives exactly one status for any input and never invents an ID number for a non-valid one', () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.string(), fc.stringMatching(/^[0-9xX ]{10,20}$/), fc.double(), fc.constant(null)),
        (v) => {
          const r = parse(v);
          expect(['valid', 'converted15', 'badChecksum', 'excelDamaged', 'malformed', 'missing']).toContain(r.status);
          if (r.status !== 'valid' && r.status !== 'converted15') expect(r.idNumber).toBeNull();
          if (r.idNumber && r.certKind !== 'foreignPermanent') expect(hasValidCheckDigit(r.idNumber)).toBe(true);
        },
      ),
    );
  });
});
