// Text formats of the sample shop: RFC 4180 fields, money, and the timestamp spellings the
// spec accepts (so generated data exercises every parser branch).

export type ZoneStyle = 'none' | 'Z' | '+02:00' | '-05:00' | '+0530' | 'UTC';

const NEEDS_QUOTES = /[",\r\n]/;

/** one CSV field: null is the empty field; quoted only where RFC 4180 requires it */
export const csvField = (value: string | null): string =>
  value === null ? '' : NEEDS_QUOTES.test(value) ? `"${value.replace(/"/g, '""')}"` : value;

export const csvLine = (fields: readonly (string | null)[]): string =>
  fields.map(csvField).join(',');

const OFFSET_MINUTES: Readonly<Record<ZoneStyle, number>> = {
  none: 0,
  Z: 0,
  UTC: 0,
  '+02:00': 120,
  '-05:00': -300,
  '+0530': 330,
};

/** `epochMs` written as local time in `zone`; the instant it denotes is always `epochMs` */
export const formatTimestamp = (epochMs: number, zone: ZoneStyle): string => {
  const local = new Date(epochMs + OFFSET_MINUTES[zone] * 60_000).toISOString(); // ...T..:..:..sssZ
  const date = local.slice(0, 10);
  const time = local.slice(11, 19);
  switch (zone) {
    case 'none':
      return `${date}T${time}`;
    case 'Z':
      return `${date}T${local.slice(11, 23)}Z`;
    case 'UTC':
      return `${date} ${time} UTC`;
    case '+0530':
      return `${date} ${time}+0530`;
    case '+02:00':
    case '-05:00':
      return `${date}T${time}${zone}`;
  }
};
