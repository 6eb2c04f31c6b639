/** The name of a backup this tool creates: `<tableName>-autobackup-<YYYYMMDDTHHMMSSZ>` (UTC). */

export const BACKUP_NAME_MAX_LENGTH = 255;
const MARKER = '-autobackup-';

/** `2026-11-28T01:02:03.456Z` → `20261128T010203Z`. */
export function compactTimestamp(date: Date): string {
  return date
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
}

export function backupName(tableName: string, at: Date): string {
  const suffix = `${MARKER}${compactTimestamp(at)}`;
  return `${tableName.slice(0, BACKUP_NAME_MAX_LENGTH - suffix.length)}${suffix}`;
}

const AUTO_BACKUP_PATTERN = /-autobackup-\d{8}T\d{6}Z$/;

/** Whether a backup named `name` of table `tableName` was made by this tool. */
export function isAutoBackupOf(name: string, tableName: string): boolean {
  if (!AUTO_BACKUP_PATTERN.test(name)) return false;
  const prefix = name.slice(0, name.lastIndexOf(MARKER));
  return (
    prefix.length > 0 &&
    tableName.startsWith(prefix) &&
    (prefix === tableName || name.length === BACKUP_NAME_MAX_LENGTH)
  );
}
