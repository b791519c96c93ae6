import { checkDigit } from '../../shared/id/id-number';

// Rows of ordinary people for the small re-match tests: valid numbers of region 610923, names from a fixed stock.

/** A valid number of region 610923 for a birth date (YYYY-MM-DD) and a sequence number. */
export function validId(birth: string, seq: number): string {
  const f17 = `610923${birth.replaceAll('-', '')}${String(seq).padStart(3, '0')}`;
  return f17 + checkDigit(f17);
}

const SURNAMES = '赵钱孙李周吴郑王冯陈褚卫蒋沈韩杨朱秦尤许';
const GIVEN = '伟芳娜敏静丽强磊军洋明超秀霞平刚桂英华玉';

/** The k-th name of the stock (three characters); `step` varies the last one, to make other names. */
export function stockName(k: number, step = 7): string {
  return `${SURNAMES[k % 20]}${GIVEN[Math.floor(k / 20) % 20]}${GIVEN[(k * step) % 20]}`;
}

/** The columns of ordinaryPerson's rows. */
export const ORDINARY_HEADER = ['姓名', '身份证号码', '性别', '出生日期', '乡镇', '村（社区）'];

/** The k-th ordinary person of 城关镇: a name, a valid number, gender, birth date, township and village. */
export function ordinaryPerson(k: number): string[] {
  const birth = `19${String(50 + (k % 45)).padStart(2, '0')}-0${1 + (k % 9)}-1${k % 10}`;
  return [stockName(k), validId(birth, k % 1000), k % 2 ? '男' : '女', birth, '城关镇', `村${k % 5}`];
}
