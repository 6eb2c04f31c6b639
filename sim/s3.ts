/**
 * S3 PutObject into a bucket seeded with `addBucket`. A bucket lives in one region: a call through
 * another region's endpoint gets S3's PermanentRedirect (the SDK's `followRegionRedirects` is not
 * modelled). `ExpectedBucketOwner` is checked as S3 checks it.
 */
import type { PutObjectCommandInput, PutObjectOutput } from '@aws-sdk/client-s3';
import { s3Errors } from './errors';
import { requireModelledMembers } from './modelled';
import type { CallInfo, SimWorld } from './state';

/** S3 object keys: at most 1,024 bytes of UTF-8. */
const KEY_MAX_BYTES = 1024;

function bodyText(body: PutObjectCommandInput['Body']): string {
  if (body === undefined) return '';
  if (typeof body === 'string') return body;
  if (body instanceof Uint8Array) return Buffer.from(body).toString('utf8');
  throw new Error(
    'SimulatedAccount does not model PutObject bodies other than strings and bytes: add it to sim/',
  );
}

export function putObject(world: SimWorld, call: CallInfo, input: PutObjectCommandInput): PutObjectOutput {
  // The SDK's flexible checksums add ChecksumAlgorithm; the checksum itself is not verified here.
  requireModelledMembers(call.operation, input, [
    'Bucket',
    'Key',
    'Body',
    'ContentLength',
    'ContentType',
    'ExpectedBucketOwner',
    'ChecksumAlgorithm',
  ]);
  const bucket = world.buckets.get(input.Bucket ?? '');
  if (!bucket) throw s3Errors.noSuchBucket(input.Bucket ?? '');
  if (bucket.region !== call.region) throw s3Errors.permanentRedirect(bucket.name, bucket.region);
  if (input.ExpectedBucketOwner !== undefined && input.ExpectedBucketOwner !== world.accountId) {
    throw s3Errors.accessDenied();
  }
  const body = bodyText(input.Body);
  if (input.ContentLength !== undefined && input.ContentLength !== Buffer.byteLength(body, 'utf8')) {
    throw s3Errors.incompleteBody('The Content-Length you specified does not match the body');
  }
  const key = input.Key ?? '';
  if (key === '' || Buffer.byteLength(key, 'utf8') > KEY_MAX_BYTES) throw s3Errors.keyTooLong();
  bucket.objects.set(key, {
    key,
    body,
    ...(input.ContentType !== undefined ? { contentType: input.ContentType } : {}),
    lastModified: new Date(),
  });
  return { ETag: `"${world.ids.hex(32)}"` };
}
