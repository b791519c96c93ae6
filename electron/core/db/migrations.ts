/**
 * Numbered migrations. Each runs once, in order, inside one transaction with the user_version bump,
 * so a workspace is always at exactly one version. Never edit a released migration: add the next one.
 */
import { LATER_MIGRATIONS } from './migrations-later';

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'rolls, records, data-quality issues, remembered header mappings, append-only audit log',
    sql: `
      CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);

      CREATE TABLE roll (
        id INTEGER PRIMARY KEY,
        import_id TEXT NOT NULL,
        kind TEXT NOT NULL CHECK (kind IN ('population','employee','resident_rural','resident_urban')),
        year INTEGER NOT NULL,
        file_name TEXT NOT NULL,
        sheet TEXT NOT NULL DEFAULT '',
        file_sha256 TEXT NOT NULL,
        file_format TEXT NOT NULL,
        encoding TEXT,
        header_row INTEGER,
        header_json TEXT NOT NULL,
        mapping_json TEXT NOT NULL,
        township_scope TEXT,
        rows_read INTEGER NOT NULL DEFAULT 0,
        rows_imported INTEGER NOT NULL DEFAULT 0,
        rows_skipped INTEGER NOT NULL DEFAULT 0,
        skipped_json TEXT NOT NULL DEFAULT '{}',
        imported_at TEXT NOT NULL,
        imported_by TEXT NOT NULL
      );
      CREATE INDEX roll_sha ON roll(file_sha256);

      CREATE TABLE record (
        id INTEGER PRIMARY KEY,
        roll_id INTEGER NOT NULL REFERENCES roll(id) ON DELETE CASCADE,
        source_row INTEGER NOT NULL,
        raw_json TEXT NOT NULL,
        name TEXT NOT NULL,
        name_key TEXT NOT NULL,
        name_pinyin TEXT NOT NULL,
        name_initials TEXT NOT NULL,
        id_raw TEXT NOT NULL,
        id_number TEXT,
        id_status TEXT NOT NULL CHECK (id_status IN ('valid','converted15','badChecksum','excelDamaged','malformed','missing')),
        id_cert_kind TEXT,
        birth_date TEXT,
        gender TEXT CHECK (gender IN ('M','F')),
        township TEXT,
        township_key TEXT,
        village TEXT,
        village_key TEXT,
        group_name TEXT,
        household_no TEXT,
        household_head TEXT,
        relation TEXT,
        category TEXT,
        special_groups TEXT,
        phone TEXT,
        unit_name TEXT,
        insured_status TEXT,
        person_no TEXT
      );
      CREATE INDEX record_roll_row ON record(roll_id, source_row);

      CREATE TABLE quality_issue (
        id INTEGER PRIMARY KEY,
        roll_id INTEGER NOT NULL REFERENCES roll(id) ON DELETE CASCADE,
        record_id INTEGER,
        source_row INTEGER NOT NULL,
        column_letter TEXT,
        column_name TEXT,
        value TEXT,
        code TEXT NOT NULL,
        message TEXT NOT NULL
      );
      CREATE INDEX quality_issue_roll ON quality_issue(roll_id, source_row);

      CREATE TABLE header_mapping (
        signature TEXT PRIMARY KEY,
        mapping_json TEXT NOT NULL,
        saved_at TEXT NOT NULL,
        saved_by TEXT NOT NULL
      );

      CREATE TABLE audit_log (
        id INTEGER PRIMARY KEY,
        at TEXT NOT NULL,
        actor TEXT NOT NULL,
        action TEXT NOT NULL,
        detail_json TEXT NOT NULL
      );
      CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log BEGIN SELECT RAISE(ABORT, '操作日志只能追加，不能修改'); END;
      CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log BEGIN SELECT RAISE(ABORT, '操作日志只能追加，不能删除'); END;
    `,
  },
  {
    version: 2,
    name: 'persons, links with their rule and score, clerk decisions, review queue, derived lists, settings',
    sql: `
      CREATE TABLE setting (key TEXT PRIMARY KEY, value_json TEXT NOT NULL);

      CREATE TABLE person (
        id INTEGER PRIMARY KEY,
        created_at TEXT NOT NULL,
        retired_at TEXT,
        retired_reason TEXT,
        successor_id INTEGER
      );

      ALTER TABLE record ADD COLUMN person_id INTEGER REFERENCES person(id);
      ALTER TABLE record ADD COLUMN link_rule TEXT;
      ALTER TABLE record ADD COLUMN link_score REAL;
      CREATE INDEX record_person ON record(person_id);

      CREATE TABLE pair_decision (
        record_a INTEGER NOT NULL REFERENCES record(id) ON DELETE CASCADE,
        record_b INTEGER NOT NULL REFERENCES record(id) ON DELETE CASCADE,
        verdict TEXT NOT NULL CHECK (verdict IN ('same','different')),
        decided_by TEXT NOT NULL,
        decided_at TEXT NOT NULL,
        PRIMARY KEY (record_a, record_b),
        CHECK (record_a < record_b)
      );

      CREATE TABLE review_pair (
        id INTEGER PRIMARY KEY,
        record_a INTEGER NOT NULL,
        record_b INTEGER NOT NULL,
        weight REAL NOT NULL,
        probability REAL NOT NULL,
        impact INTEGER NOT NULL,
        impact_label TEXT NOT NULL,
        explanation_json TEXT NOT NULL,
        UNIQUE (record_a, record_b)
      );

      CREATE TABLE person_status (
        person_id INTEGER PRIMARY KEY,
        year INTEGER NOT NULL,
        in_base INTEGER NOT NULL,
        base_record_id INTEGER,
        name TEXT NOT NULL,
        id_number TEXT,
        township TEXT,
        township_key TEXT,
        village TEXT,
        village_key TEXT,
        enrolments INTEGER NOT NULL,
        insured INTEGER NOT NULL,
        special_groups TEXT,
        special_rank INTEGER NOT NULL,
        duplicate_kind TEXT,
        records INTEGER NOT NULL
      );
      CREATE INDEX person_status_place ON person_status(township_key, village_key);

      CREATE TABLE duplicate_item (
        person_id INTEGER NOT NULL,
        record_id INTEGER NOT NULL,
        action TEXT NOT NULL CHECK (action IN ('keep','cancel')),
        rule TEXT NOT NULL,
        PRIMARY KEY (person_id, record_id)
      );

      CREATE TABLE match_run (
        id INTEGER PRIMARY KEY,
        started_at TEXT NOT NULL,
        finished_at TEXT NOT NULL,
        by TEXT NOT NULL,
        year INTEGER NOT NULL,
        summary_json TEXT NOT NULL,
        params_json TEXT NOT NULL
      );
    `,
  },
  {
    version: 3,
    name: 'review pairs stay after a decision (marked decided), so a decision can be undone and the pair comes back',
    sql: `
      ALTER TABLE review_pair ADD COLUMN decided_at TEXT;
    `,
  },
  {
    version: 4,
    name: 'audit log chained by hash: each entry carries the hash of the one before; the head is kept in meta',
    // SQLite has no sha256: the columns come here, and the entries written before this version are chained once by
    // the engine (electron/core/audit/audit-chain.ts) on the next write. The new UPDATE trigger allows exactly that
    // one change — filling an empty hash, nothing else — and refuses any other update as before.
    sql: `
      ALTER TABLE audit_log ADD COLUMN prev_hash TEXT;
      ALTER TABLE audit_log ADD COLUMN hash TEXT;
      DROP TRIGGER audit_log_no_update;
      CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
        WHEN OLD.hash IS NOT NULL OR NEW.id IS NOT OLD.id OR NEW.at IS NOT OLD.at OR NEW.actor IS NOT OLD.actor
          OR NEW.action IS NOT OLD.action OR NEW.detail_json IS NOT OLD.detail_json
        BEGIN SELECT RAISE(ABORT, '操作日志只能追加，不能修改'); END;
    `,
  },
  {
    version: 5,
    name: 'township round-trip: dispatch batches and their persons, returned answers with their history, rate snapshots',
    // insured_kinds ('E', 'R' or 'ER': employee and/or resident enrolment) splits 已参保 in the 进度通报. Workspaces
    // matched before this version get it from their records once here; the next match writes it exactly.
    sql: `
      ALTER TABLE person_status ADD COLUMN insured_kinds TEXT;
      UPDATE person_status SET insured_kinds = (
        SELECT group_concat(k, '') FROM (
          SELECT DISTINCT CASE r.kind WHEN 'employee' THEN 'E' ELSE 'R' END AS k
          FROM record c JOIN roll r ON r.id = c.roll_id
          WHERE c.person_id = person_status.person_id AND r.kind <> 'population' AND r.year = person_status.year
          ORDER BY k
        )
      ) WHERE insured = 1;

      CREATE TABLE dispatch_batch (
        id INTEGER PRIMARY KEY,
        batch_no TEXT NOT NULL UNIQUE,
        dispatched_at TEXT NOT NULL,
        dispatched_by TEXT NOT NULL,
        townships_json TEXT NOT NULL,
        mask TEXT NOT NULL,
        persons INTEGER NOT NULL,
        -- 'writing' until every ledger file is in place: a batch whose export failed or was killed never counts
        state TEXT NOT NULL CHECK (state IN ('writing', 'done'))
      );

      CREATE TABLE dispatch_item (
        batch_id INTEGER NOT NULL REFERENCES dispatch_batch(id) ON DELETE CASCADE,
        seq INTEGER NOT NULL,
        person_id INTEGER NOT NULL,
        name TEXT NOT NULL,
        id_number TEXT,
        township_key TEXT,
        village_key TEXT,
        PRIMARY KEY (batch_id, person_id)
      );
      CREATE INDEX dispatch_item_person ON dispatch_item(person_id);

      CREATE TABLE verification (
        id INTEGER PRIMARY KEY,
        person_id INTEGER NOT NULL,
        -- the person's ID number when answered: finds them again if a replaced roll rebuilt them under a new id
        id_number TEXT,
        batch_id INTEGER REFERENCES dispatch_batch(id) ON DELETE SET NULL,
        code TEXT NOT NULL,
        answer_text TEXT NOT NULL,
        place TEXT,
        death_date TEXT,
        paid_date TEXT,
        paid_amount REAL,
        note TEXT,
        verifier TEXT,
        verified_on TEXT,
        -- what decides which answer is current: 核实日期, else the day it was imported
        effective_on TEXT NOT NULL,
        content_key TEXT NOT NULL,
        file_name TEXT NOT NULL,
        file_sha256 TEXT NOT NULL,
        sheet TEXT NOT NULL,
        source_row INTEGER NOT NULL,
        imported_at TEXT NOT NULL,
        imported_by TEXT NOT NULL
      );
      CREATE INDEX verification_person ON verification(person_id, effective_on, id);

      CREATE TABLE rate_snapshot (
        id INTEGER PRIMARY KEY,
        taken_at TEXT NOT NULL,
        reason TEXT NOT NULL,
        rows_json TEXT NOT NULL,
        -- what the counts were computed from (snapshots.ts stateKey): the latest snapshot with the current key is
        -- the answer to rates, without a pass over a million persons
        state_key TEXT
      );
      -- Base persons, insured and employee-insured per village, as the last match left them (written by it, dropped
      -- when a roll is removed): the part of the rates only a match changes.
      CREATE TABLE village_base (
        township TEXT NOT NULL,
        village TEXT NOT NULL,
        base INTEGER NOT NULL,
        insured INTEGER NOT NULL,
        employee INTEGER NOT NULL,
        PRIMARY KEY (township, village)
      );
    `,
  },
  ...LATER_MIGRATIONS,
];

export const LATEST_VERSION = MIGRATIONS[MIGRATIONS.length - 1]!.version;
