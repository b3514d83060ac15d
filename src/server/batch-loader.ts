/**
 * A minimal DataLoader: keys asked for while one request resolves a list are collected and
 * fetched with one call once the current turn of the event loop has settled.
 */
export class BatchLoader<K, V> {
  private queue: { key: K; resolve: (value: V) => void; reject: (error: unknown) => void }[] = [];
  private readonly cache = new Map<K, Promise<V>>();

  constructor(private readonly fetch: (keys: readonly K[]) => Promise<Map<K, V>>, private readonly missing: () => V) {}

  load(key: K): Promise<V> {
    const cached = this.cache.get(key);
    if (cached) return cached;
    const promise = new Promise<V>((resolve, reject) => {
      if (this.queue.length === 0) setImmediate(() => void this.flush());
      this.queue.push({ key, resolve, reject });
    });
    this.cache.set(key, promise);
    return promise;
  }

  private async flush(): Promise<void> {
    const batch = this.queue;
    this.queue = [];
    try {
      const values = await this.fetch(batch.map((entry) => entry.key));
      for (const entry of batch) entry.resolve(values.get(entry.key) ?? this.missing());
    } catch (error) {
      for (const entry of batch) entry.reject(error);
    }
  }
}
