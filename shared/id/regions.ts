/**
 * First two digits of a resident ID: the province-level division (GB/T 2260), plus the
 * prefixes of residence permits for Hong Kong (81), Macao (82) and Taiwan (83) residents.
 * 71 is Taiwan in GB/T 2260 and appears on some old cards.
 */
export const PROVINCE_NAMES: Record<string, string> = {
  '11': '北京',
  '12': '天津',
  '13': '河北',
  '14': '山西',
  '15': '内蒙古',
  '21': '辽宁',
  '22': '吉林',
  '23': '黑龙江',
  '31': '上海',
  '32': '江苏',
  '33': '浙江',
  '34': '安徽',
  '35': '福建',
  '36': '江西',
  '37': '山东',
  '41': '河南',
  '42': '湖北',
  '43': '湖南',
  '44': '广东',
  '45': '广西',
  '46': '海南',
  '50': '重庆',
  '51': '四川',
  '52': '贵州',
  '53': '云南',
  '54': '西藏',
  '61': '陕西',
  '62': '甘肃',
  '63': '青海',
  '64': '宁夏',
  '65': '新疆',
  '71': '台湾',
  '81': '香港',
  '82': '澳门',
  '83': '台湾',
};

export type CertKind = 'resident' | 'hkMacaoResidencePermit' | 'taiwanResidencePermit' | 'foreignPermanent';

export function certKindOf(prefix2: string): CertKind | null {
  if (prefix2 === '81' || prefix2 === '82') return 'hkMacaoResidencePermit';
  if (prefix2 === '83') return 'taiwanResidencePermit';
  return PROVINCE_NAMES[prefix2] ? 'resident' : null;
}

/** The kind of certificate an 18-character number belongs to, or null when its prefix is not a real one. */
export function certKindOfNumber(id: string): CertKind | null {
  // Foreign permanent residence ID (2023 format): 9, then the issuing province, then the nationality code.
  if (id[0] === '9') return PROVINCE_NAMES[id.slice(1, 3)] && id.slice(1, 3) < '80' ? 'foreignPermanent' : null;
  return certKindOf(id.slice(0, 2));
}
