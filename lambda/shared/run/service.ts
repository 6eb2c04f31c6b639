/**
 * The run function's Powertools service name. It belongs with the others in
 * lambda/shared/observability.ts; it lives here until the run function is wired into the stack.
 */
export const RUN_SERVICE = 'dynamodb-backup-run';
