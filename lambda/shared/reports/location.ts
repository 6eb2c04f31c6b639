/**
 * Where reports are written: a bucket and a key prefix. The stack writes at the bucket's root
 * (prefix ''); the CLI's `--output-s3 s3://bucket/prefix` writes the same layout under the prefix.
 */

export interface ReportLocation {
  readonly bucket: string;
  /** '' (the bucket's root) or a prefix ending with '/'. */
  readonly prefix: string;
}

export class InvalidReportLocationError extends Error {
  override name = 'InvalidReportLocationError';
}

/**
 * General purpose bucket names: 3–63 characters of lower-case letters, digits, dots and hyphens,
 * beginning and ending with a letter or digit, not shaped like an IP address.
 */
const BUCKET_NAME = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
const IP_ADDRESS = /^\d{1,3}(\.\d{1,3}){3}$/;
/** Leaves room under S3's 1,024-byte key limit for the longest key the layout adds. */
const MAX_PREFIX_BYTES = 512;

/** Parses `s3://bucket`, `s3://bucket/`, `s3://bucket/prefix` or `s3://bucket/prefix/`. */
export function parseS3Uri(uri: string): ReportLocation {
  const match = /^s3:\/\/([^/]*)(?:\/(.*))?$/.exec(uri.trim());
  if (!match) throw new InvalidReportLocationError(`"${uri}" is not an S3 URI such as s3://my-bucket/audits`);
  const [, bucket = '', rawPrefix = ''] = match;
  if (!BUCKET_NAME.test(bucket) || IP_ADDRESS.test(bucket) || bucket.includes('..')) {
    throw new InvalidReportLocationError(
      `"${bucket}" is not a valid S3 bucket name (3–63 characters: lower-case letters, digits, dots, hyphens)`,
    );
  }
  return { bucket, prefix: normalizePrefix(rawPrefix) };
}

/** `audits` or `audits/` → `audits/`; `` → ``. Rejects empty path segments and oversized prefixes. */
export function normalizePrefix(prefix: string): string {
  if (prefix === '') return '';
  const trimmed = prefix.endsWith('/') ? prefix.slice(0, -1) : prefix;
  if (trimmed.split('/').some((segment) => segment === '' || segment === '.' || segment === '..')) {
    throw new InvalidReportLocationError(`the prefix "${prefix}" has an empty, "." or ".." path segment`);
  }
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(trimmed)) {
    throw new InvalidReportLocationError('the prefix contains control characters');
  }
  if (Buffer.byteLength(trimmed, 'utf8') > MAX_PREFIX_BYTES) {
    throw new InvalidReportLocationError(`the prefix is longer than ${MAX_PREFIX_BYTES} bytes`);
  }
  return `${trimmed}/`;
}

export function s3Uri(location: ReportLocation, key = location.prefix): string {
  return `s3://${location.bucket}/${key}`;
}
