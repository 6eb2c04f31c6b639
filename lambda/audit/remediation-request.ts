/** Hands NON_COMPLIANT tables to the remediation Lambda, asynchronously, in batches under Lambda's payload limit. */
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { Finding, RemediationEvent } from '../shared/types';

/** ~500 ARNs of at most ~330 bytes stay far below the 1 MB asynchronous payload limit. */
export const REMEDIATION_BATCH_SIZE = 500;

export async function requestRemediation(
  lambda: LambdaClient,
  functionName: string,
  findings: Finding[],
): Promise<number> {
  let requested = 0;
  for (let i = 0; i < findings.length; i += REMEDIATION_BATCH_SIZE) {
    const batch = findings.slice(i, i + REMEDIATION_BATCH_SIZE);
    const event: RemediationEvent = { tables: batch.map((f) => ({ tableArn: f.tableArn })) };
    await lambda.send(
      new InvokeCommand({
        FunctionName: functionName,
        InvocationType: 'Event',
        Payload: Buffer.from(JSON.stringify(event)),
      }),
    );
    requested += batch.length;
  }
  return requested;
}
