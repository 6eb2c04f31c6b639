/**
 * The simulated account models only what this project calls. Anything else fails loudly, so a new
 * call or a new request member is added to sim/ on purpose instead of being answered wrongly.
 */

/** A plain Error (not a service exception): the SDK does not retry it and tests see it at once. */
export function notModelled(what: string): Error {
  return new Error(`SimulatedAccount does not model ${what}: add it to sim/`);
}

/** Throws when `input` sets a member outside `members` (members set to undefined are ignored). */
export function requireModelledMembers(operation: string, input: object, members: readonly string[]): void {
  for (const [member, value] of Object.entries(input)) {
    if (value !== undefined && !members.includes(member)) throw notModelled(`${operation}.${member}`);
  }
}
