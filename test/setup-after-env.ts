import 'aws-sdk-client-mock-jest';

// An unhandled rejection is a bug in the code under test: fail loudly instead of logging it.
process.on('unhandledRejection', (reason) => {
  throw reason instanceof Error ? reason : new Error(`Unhandled rejection: ${String(reason)}`);
});
