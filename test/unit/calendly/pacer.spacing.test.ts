import { Pacer } from '../../../src/calendly/pacer';
import { Semaphore } from '../../../src/calendly/semaphore';

describe('Pacer', () => {
  // Jest's fake clock drives both the timers the pacer sets and the clock it reads: no test sleeps.
  beforeEach(() => {
    jest.useFakeTimers({ now: 0 });
  });

  afterEach(() => {
    jest.useRealTimers();
  });

  const fakeClock = () => jest.now();

  /** Queues `count` callers at once and records the fake time at which each may start. */
  function queueCallers(pacer: Pacer, count: number): number[] {
    const starts: number[] = [];
    for (let i = 0; i < count; i += 1) void pacer.take().then(() => starts.push(jest.now()));
    return starts;
  }

  it('should space starts by 60000/limit ms when callers queue up', async () => {
    // Arrange: 1200 per minute = one start every 50 ms
    const pacer = new Pacer(1200, fakeClock);

    // Act
    const starts = queueCallers(pacer, 11);
    await jest.advanceTimersByTimeAsync(1000);

    // Assert: 10 intervals of exactly 50 ms
    expect(starts).toEqual([0, 50, 100, 150, 200, 250, 300, 350, 400, 450, 500]);
  });

  it('should start at once after idle time but catch up at most 10 ms of it when a burst follows', async () => {
    // Arrange: idle for 5 s at one start every 50 ms
    const pacer = new Pacer(1200, fakeClock);
    await jest.advanceTimersByTimeAsync(5000);

    // Act
    const starts = queueCallers(pacer, 3);
    await jest.advanceTimersByTimeAsync(1000);

    // Assert: the first at once, the second 50 - 10 ms later, then the interval again
    expect(starts).toEqual([5000, 5040, 5090]);
  });

  it('should hold every caller when holdUntil is set', async () => {
    // Arrange
    const pacer = new Pacer(600_000, fakeClock);
    pacer.holdUntil(300);

    // Act
    const starts = queueCallers(pacer, 3);
    await jest.advanceTimersByTimeAsync(299);
    const startedDuringHold = starts.length;
    await jest.advanceTimersByTimeAsync(100);

    // Assert
    expect(startedDuringHold).toBe(0);
    expect(starts).toHaveLength(3);
    expect(Math.min(...starts)).toBe(300);
  });

  it('should report the time left until the next start', () => {
    const pacer = new Pacer(1200, fakeClock);
    pacer.holdUntil(300);

    expect(pacer.delayMs()).toBe(300);
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
