import type { Migration } from './migrations';

/** Migrations 6 on: departments' lists and their unmatched members, payment dates, the last match's state. */
export const LATER_MIGRATIONS: readonly Migration[] = [
  {
    version: 6,
    name: "departments' 资助参保 lists by month, their members with normalised identities, and the monthly diff",
    sql: `
      CREATE TABLE subsidy_list (
        id INTEGER PRIMARY KEY,
        department TEXT NOT NULL,
        month TEXT NOT NULL,
        file_name TEXT NOT NULL,
        file_sha256 TEXT NOT NULL,
        rows INTEGER NOT NULL,
        imported_at TEXT NOT NULL,
        imported_by TEXT NOT NULL,
        UNIQUE (department, month)
      );
      CREATE TABLE subsidy_member (
        list_id INTEGER NOT NULL REFERENCES subsidy_list(id) ON DELETE CASCADE,
        id_number TEXT NOT NULL,
        name TEXT NOT NULL,
        township TEXT,
        village TEXT,
        identities TEXT NOT NULL,
        highest TEXT NOT NULL,
        included_on TEXT,
        sheet TEXT NOT NULL,
        source_row INTEGER NOT NULL,
        PRIMARY KEY (list_id, id_number)
      );
      CREATE INDEX subsidy_member_id ON subsidy_member(id_number);
      -- The yearly identity table (R4.2, §6 Q15/Q16): the individual contribution, and each identity's subsidy.
      CREATE TABLE subsidy_year (year INTEGER PRIMARY KEY, contribution REAL NOT NULL);
      CREATE TABLE subsidy_tier (
        year INTEGER NOT NULL,
        identity TEXT NOT NULL,
        kind TEXT NOT NULL CHECK (kind IN ('full', 'percent', 'amount', 'none')),
        value REAL NOT NULL DEFAULT 0,
        PRIMARY KEY (year, identity)
      );
      -- 1 when a department's list gave the person a special group their records do not carry
      ALTER TABLE person_status ADD COLUMN listed_groups INTEGER NOT NULL DEFAULT 0;
      CREATE TABLE subsidy_change (
        list_id INTEGER NOT NULL REFERENCES subsidy_list(id) ON DELETE CASCADE,
        id_number TEXT NOT NULL,
        kind TEXT NOT NULL CHECK (kind IN ('added', 'changed', 'cancelled')),
        before TEXT,
        after TEXT,
        PRIMARY KEY (list_id, id_number)
      );
    `,
  },
  {
    version: 7,
    name: "list members whose ID finds no person: candidates by name, birth date and village, and the clerk's links",
    sql: `
      -- Proposed persons for a listed ID number no person carries (a department's typo, an old 15-digit number):
      -- rebuilt after every list import and match; a person is named by one of its records (records outlive matches).
      CREATE TABLE subsidy_link_candidate (
        id INTEGER PRIMARY KEY,
        member_id_number TEXT NOT NULL,
        record_id INTEGER NOT NULL,
        weight REAL NOT NULL,
        explanation_json TEXT NOT NULL,
        UNIQUE (member_id_number, record_id)
      );
      -- A clerk's verdict on a listed ID number and a person (by one of its records): 'same' links them for good,
      -- 'different' keeps the person from being proposed again. Kept across months, re-imports and matches.
      CREATE TABLE subsidy_link (
        id INTEGER PRIMARY KEY,
        member_id_number TEXT NOT NULL,
        record_id INTEGER NOT NULL,
        -- the person's own number when the verdict was given: finds them again if the record's roll is replaced
        person_id_number TEXT,
        verdict TEXT NOT NULL CHECK (verdict IN ('same', 'different')),
        decided_by TEXT NOT NULL,
        decided_at TEXT NOT NULL,
        UNIQUE (member_id_number, record_id)
      );
      CREATE INDEX subsidy_link_member ON subsidy_link(member_id_number);
    `,
  },
  {
    version: 8,
    name: 'the day each enrolment record says its premium was paid (缴费日期), for the waiting period and 历年参保',
    sql: `
      -- 'YYYY-MM-DD', null when the roll has no such column or the cell holds no full date. Records imported before
      -- this version have none: re-importing the roll reads it.
      ALTER TABLE record ADD COLUMN paid_date TEXT;
    `,
  },
  {
    version: 9,
    name: 'state of the last match (candidate pairs and weights, rolls and decisions seen), for incremental re-matching',
    sql: `
      -- What the last match knew (issue 15): its parameters, the rolls and decisions it saw, and every candidate pair
      -- with its weight, as typed-array blobs. A re-match after a roll or a clerk's decision re-compares only what
      -- changed and re-clusters only the persons it touches. Rebuilt by every full match; never read by anything else.
      CREATE TABLE match_state (
        key TEXT PRIMARY KEY,
        value BLOB NOT NULL
      ) WITHOUT ROWID;
    `,
  },
  {
    version: 10,
    name: 'the last match’s state in a table with row ids, read in a third of the time',
    sql: `
      -- WITHOUT ROWID keeps each row in an index b-tree, and SQLite compares a key with an index cell that overflows
      -- by reading all of it: finding a part read whole blobs of the cells beside it (2-20 MB each). At 1,000,000
      -- people the state a re-match after decisions reads took 0.80 s, 0.31 s with row ids. Rows of the one-blob
      -- format the 4 MB parts replaced are not copied: nothing reads them.
      CREATE TABLE match_state_rows (
        key TEXT PRIMARY KEY,
        value BLOB NOT NULL
      );
      INSERT INTO match_state_rows (key, value)
        SELECT key, value FROM match_state WHERE key = 'meta' OR key GLOB '*#[0-9][0-9][0-9][0-9][0-9]';
      DROP TABLE match_state;
      ALTER TABLE match_state_rows RENAME TO match_state;
    `,
  },
];
