import Fuse from 'fuse.js';
import type Database from 'better-sqlite3';
import type { RollKind } from '../../../shared/domain/types';
import { nameKeys } from '../../../shared/text/name';

export interface PersonHit {
  personId: number;
  name: string;
  idNumber: string | null;
  township: string | null;
  village: string | null;
  inBase: boolean;
  insured: boolean;
  duplicateKind: string | null;
  records: {
    recordId: number;
    kind: RollKind;
    year: number;
    file: string;
    sheet: string;
    row: number;
    name: string;
    idNumber: string;
    village: string | null;
    linkRule: string | null;
  }[];
}

interface Item {
  personId: number;
  names: string[];
  pinyin: string[];
  initials: string[];
  ids: string[];
}

/**
 * The interactive search box (fuse.js): by name, pinyin, pinyin initials, or a fragment of an ID number.
 * Not the bulk matcher: fuse scans every item per query. ID fragments are matched as substrings, exactly.
 */
export class PersonSearch {
  private readonly items: Item[];
  private readonly fuse: Fuse<Item>;
  /** Exact name, pinyin and initials → persons: most searches are answered here without scanning (fuse.js scans all). */
  private readonly exact = new Map<string, Set<number>>();

  constructor(private readonly db: Database.Database) {
    const byPerson = new Map<number, Item>();
    const rows = db
      .prepare(
        'SELECT person_id AS p, name, name_key AS k, name_pinyin AS py, name_initials AS ini, id_number AS id, id_raw AS raw FROM record WHERE person_id IS NOT NULL',
      )
      .iterate() as IterableIterator<{
      p: number;
      name: string;
      k: string;
      py: string;
      ini: string;
      id: string | null;
      raw: string;
    }>;
    for (const r of rows) {
      let it = byPerson.get(r.p);
      if (!it) byPerson.set(r.p, (it = { personId: r.p, names: [], pinyin: [], initials: [], ids: [] }));
      for (const [list, v] of [
        [it.names, r.name],
        [it.names, r.k],
        [it.pinyin, r.py],
        [it.initials, r.ini],
        [it.ids, r.id ?? r.raw],
      ] as const)
        if (v && !list.includes(v)) list.push(v);
    }
    this.items = [...byPerson.values()];
    for (const it of this.items) {
      for (const k of [...it.names, ...it.pinyin, ...it.initials]) {
        const set = this.exact.get(k);
        if (set) set.add(it.personId);
        else this.exact.set(k, new Set([it.personId]));
      }
    }
    this.fuse = new Fuse(this.items, {
      keys: [
        { name: 'names', weight: 3 },
        { name: 'pinyin', weight: 2 },
        { name: 'initials', weight: 1 },
      ],
      threshold: 0.3,
      ignoreLocation: true,
      minMatchCharLength: 1,
    });
  }

  get size(): number {
    return this.items.length;
  }

  find(query: string, limit = 20): PersonHit[] {
    const q = query.trim();
    if (!q) return [];
    let ids: number[];
    if (/^[\dXx*]{4,18}$/.test(q)) {
      const frag = q.toUpperCase();
      ids = this.items
        .filter((it) => it.ids.some((id) => id.includes(frag)))
        .slice(0, limit)
        .map((it) => it.personId);
    } else {
      const k = nameKeys(q);
      const needle = /^[a-z]+$/i.test(q) ? q.toLowerCase() : k.key || q;
      // The name as typed, and its homophones (same pinyin): 王小明 finds 王晓明 too.
      const exact = new Set([...(this.exact.get(needle) ?? []), ...(k.pinyin ? (this.exact.get(k.pinyin) ?? []) : [])]);
      ids = exact.size
        ? [...exact].sort((a, b) => a - b).slice(0, limit)
        : this.fuse.search(needle, { limit }).map((r) => r.item.personId);
    }
    return ids.map((id) => this.describe(id));
  }

  describe(personId: number): PersonHit {
    const s = this.db
      .prepare(
        'SELECT name, id_number AS idNumber, township, village, in_base AS inBase, insured, duplicate_kind AS duplicateKind FROM person_status WHERE person_id = ?',
      )
      .get(personId) as
      | {
          name: string;
          idNumber: string | null;
          township: string | null;
          village: string | null;
          inBase: number;
          insured: number;
          duplicateKind: string | null;
        }
      | undefined;
    const records = this.db
      .prepare(
        `SELECT c.id AS recordId, r.kind, r.year, r.file_name AS file, r.sheet, c.source_row AS row, c.name,
        coalesce(c.id_number, c.id_raw) AS idNumber, c.village, c.link_rule AS linkRule FROM record c JOIN roll r ON r.id = c.roll_id WHERE c.person_id = ? ORDER BY c.id`,
      )
      .all(personId) as PersonHit['records'];
    return {
      personId,
      name: s?.name ?? records[0]?.name ?? '',
      idNumber: s?.idNumber ?? null,
      township: s?.township ?? null,
      village: s?.village ?? null,
      inBase: s?.inBase === 1,
      insured: s?.insured === 1,
      duplicateKind: s?.duplicateKind ?? null,
      records,
    };
  }
}
