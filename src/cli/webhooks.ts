import { randomBytes } from 'node:crypto';
import { CALENDLY_WEBHOOK_EVENTS } from '../calendly/calendly.types';
import { configuredCalendlyClient } from '../calendly/configured-client';
import { requireCalendlyApiKey } from '../config/config';
import { ConfigError } from '../config/config.error';
import { loadService, runCommand } from './bootstrap';

// `npm run webhooks -- subscribe --url URL | list | delete URI`: the organisation's Calendly
// webhook subscription for this service. Talks to Calendly only, so it runs beside `npm start`
// without touching its database.

const USAGE = 'usage: npm run webhooks -- subscribe --url https://your.host/webhooks/calendly | list | delete SUBSCRIPTION_URI';

type Command = { name: 'subscribe'; url: string } | { name: 'list' } | { name: 'delete'; uri: string };

function parseArgs(argv: string[]): Command {
  const [name, ...rest] = argv;
  if (name === 'list' && rest.length === 0) return { name };
  if (name === 'delete' && rest.length === 1) return { name, uri: rest[0] };
  if (name === 'subscribe' && rest.length === 2 && rest[0] === '--url') {
    let url: URL | undefined;
    try {
      url = new URL(rest[1]);
    } catch {
      // reported below
    }
    if (!url || !['http:', 'https:'].includes(url.protocol)) throw new ConfigError('--url', `must be an http(s) URL, got "${rest[1]}"`);
    return { name, url: url.toString() };
  }
  throw new ConfigError('npm run webhooks', `needs subscribe --url URL, list, or delete URI (${USAGE})`);
}

runCommand(async () => {
  const command = parseArgs(process.argv.slice(2));
  const { config, logger } = await loadService({ check: requireCalendlyApiKey });
  const client = configuredCalendlyClient(config, { logger });
  try {
    const organization = config.calendlyOrganizationUri ?? (await client.getCurrentUser()).current_organization;
    if (command.name === 'list') {
      const subscriptions = await client.listWebhookSubscriptions(organization);
      for (const s of subscriptions) process.stdout.write(`${s.uri}  ${s.state}  ${s.callback_url}  ${s.events.join(',')}\n`);
      if (subscriptions.length === 0) process.stdout.write('no webhook subscriptions for this organisation\n');
    } else if (command.name === 'delete') {
      await client.deleteWebhookSubscription(command.uri);
      process.stdout.write(`deleted ${command.uri}\n`);
    } else {
      // Calendly never shows a signing key again: it is generated here and printed once.
      const signingKey = randomBytes(32).toString('base64url');
      const created = await client.createWebhookSubscription({ url: command.url, organization, events: CALENDLY_WEBHOOK_EVENTS, signingKey });
      process.stdout.write([
        `subscribed ${created.uri}`,
        `  deliveries of ${created.events.join(', ')} go to ${created.callback_url}`,
        '',
        'Signing key (shown only now): set it where the service runs, then restart it:',
        `CALENDLY_WEBHOOK_SIGNING_KEY=${signingKey}`,
        '',
      ].join('\n'));
    }
    return 0;
  } finally {
    client.close();
  }
});
