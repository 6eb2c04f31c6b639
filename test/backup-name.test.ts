import {
  BACKUP_NAME_MAX_LENGTH,
  backupName,
  compactTimestamp,
  isAutoBackupOf,
} from '../lambda/shared/backup-name';

const AT = new Date('2026-11-28T01:02:03.456Z');
const STAMP = '20261128T010203Z';
/** DynamoDB backup names: 3–255 characters of [a-zA-Z0-9_.-]. */
const VALID_BACKUP_NAME = /^[A-Za-z0-9_.-]{3,255}$/;
/** A table name of `length` characters mixing every allowed character class. */
const longTableName = (length: number) => 'Orders_2026.v1-'.repeat(20).slice(0, length);

describe('compactTimestamp', () => {
  it('writes a UTC instant as YYYYMMDDTHHMMSSZ without separators or milliseconds', () => {
    expect(compactTimestamp(AT)).toBe(STAMP);
  });

  it('zero-pads single-digit months, days, hours, minutes and seconds', () => {
    expect(compactTimestamp(new Date('2027-01-05T04:05:06.007Z'))).toBe('20270105T040506Z');
  });

  it('uses UTC whatever offset the date was written with', () => {
    expect(compactTimestamp(new Date('2026-11-28T03:02:03.456+02:00'))).toBe(STAMP);
  });
});

describe('backupName', () => {
  it('names a backup <table>-autobackup-<UTC time>', () => {
    expect(backupName('orders', AT)).toBe(`orders-autobackup-${STAMP}`);
  });

  it('cuts the table part of a 255-character table name so the whole name is exactly 255 valid characters', () => {
    const table = longTableName(255);
    const suffix = `-autobackup-${STAMP}`;

    const name = backupName(table, AT);

    expect(name).toHaveLength(BACKUP_NAME_MAX_LENGTH);
    expect(name).toMatch(VALID_BACKUP_NAME);
    expect(name).toBe(`${table.slice(0, BACKUP_NAME_MAX_LENGTH - suffix.length)}${suffix}`);
  });

  it('keeps a table name that just fits whole', () => {
    const suffix = `-autobackup-${STAMP}`;
    const table = longTableName(BACKUP_NAME_MAX_LENGTH - suffix.length);

    expect(backupName(table, AT)).toBe(`${table}${suffix}`);
  });

  it('gives valid names for the shortest table names', () => {
    expect(backupName('abc', AT)).toMatch(VALID_BACKUP_NAME);
  });
});

describe('isAutoBackupOf', () => {
  it('recognises the backups this tool made of the table', () => {
    expect(isAutoBackupOf(backupName('orders', AT), 'orders')).toBe(true);
  });

  it.each([228, 240, 255])('recognises its own cut names of a %i-character table', (length) => {
    const table = longTableName(length);

    expect(isAutoBackupOf(backupName(table, AT), table)).toBe(true);
  });

  it("does not take another table's auto-backup for this table's", () => {
    expect(isAutoBackupOf(backupName('payments', AT), 'orders')).toBe(false);
  });

  it("does not take a backup of 'orders-archive' for one of 'orders'", () => {
    expect(isAutoBackupOf(backupName('orders-archive', AT), 'orders')).toBe(false);
  });

  it("does not take a backup of 'orders' for one of 'orders-archive'", () => {
    expect(isAutoBackupOf(backupName('orders', AT), 'orders-archive')).toBe(false);
  });

  it.each([
    ['a backup someone named by hand', 'orders-before-migration'],
    ['a name with the marker but no timestamp', 'orders-autobackup-'],
    ['a name with a malformed timestamp', 'orders-autobackup-2026-11-28T01:02:03Z'],
    ['a name with text after the timestamp', `orders-autobackup-${STAMP}-copy`],
    ['the bare marker and timestamp', `-autobackup-${STAMP}`],
  ])('does not claim %s', (_what, name) => {
    expect(isAutoBackupOf(name, 'orders')).toBe(false);
  });
});
