import { Pacer } from '../../../src/calendly/pacer';
import { Semaphore } from '../../../src/calendly/semaphore';

describe('Pacer', () => {
  it('should space starts by 60000/limit ms when callers queue up', async () => {
    // Arrange: 1200 per minute = one start every 50 ms
    const pacer = new Pacer(1200);
    const starts: number[] = [];
    const t0 = Date.now();
    // Act
    await Promise.all(Array.from({ length: 11 }, () => pacer.take().then(() => starts.push(Date.now() - t0))));
    // Assert: 10 intervals ≈ 500 ms, and no two starts much closer than the interval
    expect(starts[10]).toBeGreaterThanOrEqual(480);
    expect(starts[10]).toBeLessThan(700);
    const gaps = starts.slice(1).map((t, i) => t - starts[i]);
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(35);
  });

  it('should hold every caller when holdUntil is set', async () => {
    const pacer = new Pacer(600_000);
    const t0 = Date.now();
    pacer.holdUntil(t0 + 300);
    const starts = await Promise.all([pacer.take(), pacer.take(), pacer.take()].map((p) => p.then(() => Date.now() - t0)));
    expect(Math.min(...starts)).toBeGreaterThanOrEqual(290);
  });
});

describe('Semaphore', () => {
  it('should never run more than its limit at once when many tasks are queued', async () => {
    const semaphore = new Semaphore(3);
    let running = 0;
    let peak = 0;
    const order: number[] = [];
    await Promise.all(Array.from({ length: 12 }, (_, i) => semaphore.run(async () => {
      running += 1;
      peak = Math.max(peak, running);
      await new Promise((r) => setTimeout(r, 5));
      order.push(i);
      running -= 1;
    })));
    expect(peak).toBe(3);
    expect(order).toHaveLength(12);
    expect(semaphore.inUse).toBe(0);
  });
});
