/**
 * `work`, or a rejection with code ETIMEDOUT after `ms` (which the error mapping reads as "the
 * database did not answer in time"). The work itself is not cancelled; its later outcome is ignored.
 */
export function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(Object.assign(new Error('timeout'), { code: 'ETIMEDOUT' })),
      ms,
    );
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}
