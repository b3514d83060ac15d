import type { FetchCounts } from '../sync/fetch-window';

/** A one-line progress display on a terminal's stderr: events, invitees, requests per second. */
export function terminalProgress(stream: NodeJS.WriteStream = process.stderr): {
  update: (counts: FetchCounts, requests: number) => void;
  done: () => void;
} {
  if (!stream.isTTY) return { update: () => undefined, done: () => undefined };
  const startedAt = Date.now();
  let lastDrawn = 0;
  return {
    update(counts, requests) {
      const now = Date.now();
      if (now - lastDrawn < 200) return;
      lastDrawn = now;
      const seconds = Math.max((now - startedAt) / 1000, 0.001);
      stream.write(`\r\x1b[2Kevents ${counts.eventsFetched}  invitees ${counts.inviteesFetched}  ` +
        `rejected ${counts.recordsRejected}  requests ${requests} (${(requests / seconds).toFixed(1)}/s)`);
    },
    done() {
      stream.write('\r\x1b[2K');
    },
  };
}
