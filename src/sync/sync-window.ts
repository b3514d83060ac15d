const DAY_MS = 24 * 60 * 60 * 1000;

/** The instant a run is evaluated at and the start_time bounds it fetches and computes (metrics.md §1). */
export interface SyncWindow {
  asOf: Date;
  windowStart: Date;
  windowEnd: Date;
}

export function syncWindow(asOf: Date, lookbackDays: number, lookaheadDays: number): SyncWindow {
  return {
    asOf,
    windowStart: new Date(asOf.getTime() - lookbackDays * DAY_MS),
    windowEnd: new Date(asOf.getTime() + lookaheadDays * DAY_MS),
  };
}
