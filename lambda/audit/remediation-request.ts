/** Hands NON_COMPLIANT tables to the remediation Lambda, asynchronously, in batches under Lambda's payload limit. */
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { Finding, RemediationEvent } from '../shared/types';

/** ~500 ARNs of at most ~330 bytes stay far below the 1 MB asynchronous payload limit. */
export const REMEDIATION_BATCH_SIZE = 500;

export interface RemediationRequest {
  /** Tables handed over (whole batches accepted by Lambda). */
  requested: number;
  /** Why the remaining batches could not be sent, when one failed. */
  error?: unknown;
}

/** Sends the batches in order and stops at the first failure, reporting what was already sent. */
export async function requestRemediation(
  lambda: LambdaClient,
  functionName: string,
  findings: Finding[],
): Promise<RemediationRequest> {
  let requested = 0;
  for (let i = 0; i < findings.length; i += REMEDIATION_BATCH_SIZE) {
    const batch = findings.slice(i, i + REMEDIATION_BATCH_SIZE);
    const event: RemediationEvent = { tables: batch.map((f) => ({ tableArn: f.tableArn })) };
    try {
      await lambda.send(
        new InvokeCommand({
          FunctionName: functionName,
          InvocationType: 'Event',
          Payload: Buffer.from(JSON.stringify(event)),
        }),
      );
    } catch (error) {
      return { requested, error };
    }
    requested += batch.length;
  }
  return { requested };
}
