import { Writable } from 'node:stream';
import { describeConfig, loadConfig } from '../../../src/config/config';
import { createLogger } from '../../../src/logging/logger';

const KEY = 'whsec_do_not_print_me';

describe('webhook configuration', () => {
  it('should default the refresh delay to 2000 ms and leave the endpoint off without a key', () => {
    expect(loadConfig({})).toMatchObject({ webhookRefreshDelayMs: 2000, calendlyWebhookSigningKey: undefined });
  });

  it('should refuse a refresh delay that is not a whole number, naming the variable', () => {
    expect(() => loadConfig({ WEBHOOK_REFRESH_DELAY_MS: 'soon' })).toThrow(expect.objectContaining({ code: 'INVALID_CONFIG', variable: 'WEBHOOK_REFRESH_DELAY_MS' }));
  });

  it('should mask the signing key in the start-up description and in logs', () => {
    // Arrange
    const config = loadConfig({ CALENDLY_WEBHOOK_SIGNING_KEY: ` ${KEY} ` });
    const lines: string[] = [];
    const logger = createLogger('info', new Writable({ write(chunk, _encoding, done) { lines.push(String(chunk)); done(); } }));
    // Act
    logger.info({ config }, 'raw config logged by mistake');
    // Assert
    expect(config.calendlyWebhookSigningKey).toBe(KEY);
    expect(describeConfig(config).CALENDLY_WEBHOOK_SIGNING_KEY).toBe('***');
    expect(lines.join('')).not.toContain(KEY);
  });
});
