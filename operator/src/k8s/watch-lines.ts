// Splits a watch response body into JSON events, one per line. Pure over the stream: no timers, no retries.

export interface WatchEvent<T> {
  readonly type: 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';
  readonly object: T;
}

/**
 * Yields each complete line's event. `onBytes` is called for every chunk received (the caller's inactivity watchdog).
 * A line that is not JSON ends the stream with an error: the server never sends one, so the connection is suspect.
 */
export async function* readWatchEvents<T>(
  body: ReadableStream<Uint8Array>,
  onBytes: () => void = () => {},
): AsyncGenerator<WatchEvent<T>> {
  const decoder = new TextDecoder();
  const reader = body.getReader();
  let buffered = '';
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      onBytes();
      buffered += decoder.decode(value, { stream: true });
      let newline = buffered.indexOf('\n');
      while (newline >= 0) {
        const line = buffered.slice(0, newline).trim();
        buffered = buffered.slice(newline + 1);
        if (line) yield JSON.parse(line) as WatchEvent<T>;
        newline = buffered.indexOf('\n');
      }
    }
    const rest = (buffered + decoder.decode()).trim();
    if (rest) yield JSON.parse(rest) as WatchEvent<T>;
  } finally {
    await reader.cancel().catch(() => {});
  }
}
