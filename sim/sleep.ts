/** Simulated latency that a cancelled call stops waiting for. */

/** Waits `ms`; rejects with an AbortError as soon as `signal` fires (at once if it already has). */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  const abortError = () => Object.assign(new Error('Request aborted'), { name: 'AbortError' });
  if (signal?.aborted) return Promise.reject(abortError());
  if (ms <= 0) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      clearTimeout(timer);
      reject(abortError());
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
