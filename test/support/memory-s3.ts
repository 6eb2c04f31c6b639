/**
 * An in-memory S3 bucket behind aws-sdk-client-mock: PutObject stores, GetObject returns a Body with
 * `transformToString()` (as the SDK's stream mixin does), a missing key is NoSuchKey. Enough for the
 * run's plan and aggregation, which only put and get whole JSON objects.
 */
import { GetObjectCommand, NoSuchKey, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { AwsClientStub } from 'aws-sdk-client-mock';

export class MemoryS3 {
  readonly objects = new Map<string, string>();

  constructor(readonly mock: AwsClientStub<S3Client>) {}

  /** (Re)installs the behaviours on the mock; call after `mock.reset()`. */
  install(): this {
    this.mock.on(PutObjectCommand).callsFake((input: { Bucket?: string; Key?: string; Body?: unknown }) => {
      this.objects.set(`${input.Bucket}/${input.Key}`, String(input.Body));
      return { ETag: '"etag"' };
    });
    this.mock.on(GetObjectCommand).callsFake((input: { Bucket?: string; Key?: string }) => {
      const text = this.objects.get(`${input.Bucket}/${input.Key}`);
      if (text === undefined) {
        throw new NoSuchKey({
          message: 'The specified key does not exist.',
          $metadata: { httpStatusCode: 404 },
        });
      }
      return { Body: { transformToString: async () => text } };
    });
    return this;
  }

  put(bucket: string, key: string, value: unknown): void {
    this.objects.set(`${bucket}/${key}`, typeof value === 'string' ? value : JSON.stringify(value));
  }

  json(bucket: string, key: string): unknown {
    const text = this.objects.get(`${bucket}/${key}`);
    if (text === undefined) throw new Error(`no object ${bucket}/${key}`);
    return JSON.parse(text) as unknown;
  }
}
