import { assertServerConfig, describeConfig, isLoopbackHost, loadConfig } from '../../../src/config/config';

describe('loadConfig', () => {
  it('should apply the defaults of interfaces.md when nothing is set', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      databaseUrl: undefined, dataDir: './data', calendlyBaseUrl: 'https://api.calendly.com',
      syncCron: '0 */4 * * *', syncLookbackDays: 90, syncLookaheadDays: 90, host: '127.0.0.1', port: 4000,
    });
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('should disable the schedule when SYNC_CRON is off', () => {
    expect(loadConfig({ SYNC_CRON: 'off' }).syncCron).toBeNull();
  });

  it.each([
    ['DATABASE_URL', 'not a url'],
    ['DATABASE_URL', 'mysql://localhost/db'],
    ['CALENDLY_BASE_URL', 'ftp://example.com'],
    ['SYNC_LOOKBACK_DAYS', 'ninety'],
    ['SYNC_LOOKAHEAD_DAYS', '0'],
    ['SYNC_CRON', 'every four hours'],
    ['PORT', '70000'],
    ['CALENDLY_CONCURRENCY', '-1'],
    ['LOG_LEVEL', 'loud'],
    ['CORS_ORIGINS', '*'],
    ['CORS_ORIGINS', 'app.example.com'],
    ['CORS_ORIGINS', 'https://app.example.com/path'],
    ['CORS_ORIGINS', 'https://ok.example.com, ftp://files.example.com'],
  ])('should stop with an INVALID_CONFIG error naming %s when it is %p', (variable, value) => {
    expect(() => loadConfig({ [variable]: value })).toThrow(expect.objectContaining({ code: 'INVALID_CONFIG', variable }));
    expect(() => loadConfig({ [variable]: value })).toThrow(new RegExp(`^${variable} `));
  });

  it('should never put a secret in an error or the described config', () => {
    const secret = 'postgres://user:s3cr3t-pass@db.internal:5432/x';
    const config = loadConfig({ DATABASE_URL: secret, CALENDLY_API_KEY: 'cal-key-123', API_TOKEN: 'tok-456' });
    const described = JSON.stringify(describeConfig(config));
    expect(described).not.toMatch(/s3cr3t|cal-key-123|tok-456/);
    expect(() => loadConfig({ DATABASE_URL: 'postgres://u:s3cr3t@[bad' })).toThrow(expect.not.objectContaining({ message: expect.stringMatching(/s3cr3t/) }));
  });

  it('should refuse a non-loopback HOST without API_TOKEN', () => {
    expect(() => assertServerConfig(loadConfig({ HOST: '0.0.0.0' }))).toThrow(expect.objectContaining({ code: 'INVALID_CONFIG', variable: 'API_TOKEN' }));
    expect(() => assertServerConfig(loadConfig({ HOST: '0.0.0.0', API_TOKEN: 't' }))).not.toThrow();
    expect(() => assertServerConfig(loadConfig({ HOST: '127.0.0.1' }))).not.toThrow();
  });

  it('should trim API_TOKEN once, as the presented token is trimmed', () => {
    expect(loadConfig({ API_TOKEN: '  tok-456\t' }).apiToken).toBe('tok-456');
  });

  it('should allow no cross-origin access by default and parse CORS_ORIGINS as a list of origins', () => {
    expect(loadConfig({}).corsOrigins).toEqual([]);
    expect(loadConfig({ CORS_ORIGINS: ' https://App.Example.com , http://localhost:5173/,' }).corsOrigins)
      .toEqual(['https://app.example.com', 'http://localhost:5173']);
  });

  it('should count only loopback names as loopback, not names that start like one', () => {
    expect(['localhost', '127.0.0.1', '127.9.8.7', '::1', '[::1]'].map(isLoopbackHost)).toEqual([true, true, true, true, true]);
    expect(['127.0.0.1.evil.example', '127.evil', 'localhost.evil.example', '0.0.0.0'].map(isLoopbackHost)).toEqual([false, false, false, false]);
  });
});
