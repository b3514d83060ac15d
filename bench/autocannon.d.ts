// Minimal typing of what the bench uses (autocannon ships none).
declare module 'autocannon' {
  import type { EventEmitter } from 'node:events';
  interface Request { method?: string; path?: string; headers?: Record<string, string>; body?: string;
    setupRequest?: (req: Request, context: unknown) => Request }
  interface Options { url: string; connections?: number; duration?: number; overallRate?: number; method?: string;
    headers?: Record<string, string>; body?: string; requests?: Request[]; pipelining?: number }
  interface Result { requests: { average: number; total: number }; non2xx: number; errors: number; timeouts: number; duration: number;
    latency: { p50: number; p99: number } }
  type Instance = EventEmitter;
  function autocannon(options: Options, callback: (error: Error | null, result: Result) => void): Instance;
  export = autocannon;
}
