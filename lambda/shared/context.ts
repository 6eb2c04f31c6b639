/** Facts read from the Lambda invocation context. */
import type { Context } from 'aws-lambda';

/** The account id is the fifth field of `arn:aws:lambda:<region>:<account>:function:<name>`. */
export function accountIdFromContext(context: Pick<Context, 'invokedFunctionArn'>): string {
  const accountId = context.invokedFunctionArn.split(':')[4];
  if (!accountId || !/^\d{12}$/.test(accountId)) {
    throw new Error(`Cannot read the account id from invokedFunctionArn "${context.invokedFunctionArn}"`);
  }
  return accountId;
}
