/**
 * S3 PutObject into a bucket seeded with `addBucket`, and GetObject of what was put. A bucket lives in one region: a call through
 * another region's endpoint gets S3's PermanentRedirect (the SDK's `followRegionRedirects` is not
 * modelled). `ExpectedBucketOwner` is checked as S3 checks it.
 */
import type {
  GetObjectCommandInput,
  GetObjectOutput,
  PutObjectCommandInput,
  PutObjectOutput,
} from '@aws-sdk/client-s3';
import { sdkStreamMixin } from '@smithy/core/serde';
import { Readable } from 'node:stream';
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

/** S3 GetObject of an object put before; NoSuchKey otherwise. The body is the SDK's stream type. */
export function getObject(world: SimWorld, call: CallInfo, input: GetObjectCommandInput): GetObjectOutput {
  requireModelledMembers(call.operation, input, ['Bucket', 'Key', 'ExpectedBucketOwner', 'ChecksumMode']);
  const bucket = world.buckets.get(input.Bucket ?? '');
  if (!bucket) throw s3Errors.noSuchBucket(input.Bucket ?? '');
  if (bucket.region !== call.region) throw s3Errors.permanentRedirect(bucket.name, bucket.region);
  if (input.ExpectedBucketOwner !== undefined && input.ExpectedBucketOwner !== world.accountId) {
    throw s3Errors.accessDenied();
  }
  const object = bucket.objects.get(input.Key ?? '');
  if (!object) throw s3Errors.noSuchKey(input.Key ?? '');
  const bytes = Buffer.from(object.body, 'utf8');
  return {
    Body: sdkStreamMixin(Readable.from([bytes])),
    ContentLength: bytes.length,
    ...(object.contentType !== undefined ? { ContentType: object.contentType } : {}),
    LastModified: object.lastModified,
  };
}
