/** Per-region progress on stderr, only when stderr is a terminal. */
import { ProgressEvent } from '../lambda/shared/audit-region';

export interface Writable {
  write(text: string): unknown;
  isTTY?: boolean;
}

export function progressFor(stderr: Writable, region: string): ((event: ProgressEvent) => void) | undefined {
  if (!stderr.isTTY) return undefined;
  return (event) => {
    switch (event.phase) {
      case 'tablesListed':
        stderr.write(`${region}: ${event.tables} tables listed\n`);
        break;
      case 'nativeBackupsListed':
        stderr.write(
          `${region}: native backups listed; ${event.tablesWithoutUsableNative} tables to check in AWS Backup\n`,
        );
        break;
      case 'evaluated':
        stderr.write(`${region}: ${event.tables} tables evaluated\n`);
        break;
    }
  };
}
