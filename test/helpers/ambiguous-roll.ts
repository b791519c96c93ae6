import Database from 'better-sqlite3';
import { writeFileSync } from 'node:fs';

/**
 * A supplementary roll of records a clerk must look at: six base persons typed again without ID numbers, with only
 * the birth month, in another village of the same township. Name and birth month agree, the village does not:
 * neither clearly the same person nor clearly not.
 */
export function writeAmbiguousRoll(workspace: string, file: string, opts: { elsewhere?: boolean } = {}): string {
  const db = new Database(workspace, { readonly: true, fileMustExist: true });
  // elsewhere: in a village of another township. In a small county (800 people) a unique name, its birth month and
  // the same township now score just over the link weight (7.18 bits): another township keeps them for a clerk.
  const away = opts.elsewhere
    ? (db
        .prepare(
          `SELECT township, village_key AS village FROM record WHERE township_key IS NOT NULL AND village_key IS NOT NULL
          ORDER BY township_key DESC, village_key LIMIT 1`,
        )
        .get() as { township: string; village: string } | undefined)
    : undefined;
  const rows = db
    .prepare(
      `SELECT c.name, c.birth_date AS birth, c.township, c.village_key AS village,
      (SELECT min(v.village_key) FROM record v WHERE v.township_key = c.township_key AND v.village_key != c.village_key) AS other
    FROM record c JOIN roll r ON r.id = c.roll_id
    WHERE r.kind = 'population' AND length(c.birth_date) = 10 AND c.village_key IS NOT NULL
      AND (SELECT count(*) FROM record x WHERE x.name_key = c.name_key) = 1
    ORDER BY c.id LIMIT 6`,
    )
    .all() as { name: string; birth: string; township: string; other: string }[];
  db.close();
  writeFileSync(
    file,
    '\ufeff姓名,身份证号码,出生年月,乡镇,村（社区）\r\n' +
      rows
        .map((r) => {
          const place =
            away && away.township !== r.township ? `${away.township},${away.village}` : `${r.township},${r.other}`;
          return `${r.name},,${r.birth.slice(0, 7)},${place}`;
        })
        .join('\r\n') +
      '\r\n',
  );
  return file;
}
