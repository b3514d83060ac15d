import type { CalendlyWebhookSubscription } from '../calendly/calendly.types';
import { formatCalendlyTime } from './calendly-time';
import { API_ROOT, type SimulatorDataset } from './simulator-dataset';
import { WebhookDeliverer, type WebhookDelivererOptions } from './webhook-deliverer';

/** Every event Calendly can send; a subscription may list any of them. */
const KNOWN_EVENTS = new Set([
  'invitee.created', 'invitee.canceled', 'invitee_no_show.created', 'invitee_no_show.deleted', 'routing_form_submission.created',
]);

export interface SimulatedWebhooksOptions extends Omit<WebhookDelivererOptions, 'onGone'> {
  /** Answer 403 to every subscription call, as Calendly does on a plan without webhooks. */
  forbidden?: boolean;
}

export interface WebhookRouteAnswer {
  status: number;
  body: unknown;
}

interface Subscription {
  resource: CalendlyWebhookSubscription;
  signingKey: string;
}

/**
 * The simulator's `/webhook_subscriptions` (create, list, delete) and the deliveries to them.
 * `emit` sends one delivery to every active subscription that listens to the event.
 */
export class SimulatedWebhooks {
  private readonly subscriptions = new Map<string, Subscription>();
  readonly deliverer: WebhookDeliverer;

  constructor(private readonly dataset: SimulatorDataset, private readonly options: SimulatedWebhooksOptions = {}) {
    this.deliverer = new WebhookDeliverer({
      ...options,
      onGone: (target) => {
        for (const [uuid, subscription] of this.subscriptions) {
          if (subscription.resource.callback_url === target.url) this.subscriptions.delete(uuid);
        }
      },
    });
  }

  /** The subscriptions that exist now. */
  list(): CalendlyWebhookSubscription[] {
    return [...this.subscriptions.values()].map((s) => s.resource);
  }

  /** Sends `{ event, created_at, created_by, payload }` to each subscription listening to `event`. */
  emit(event: string, payload: Record<string, unknown>, at = new Date()): void {
    // A copy now: the record may change again before a retry goes out.
    const body = { event, created_at: formatCalendlyTime(at.getTime()), created_by: this.dataset.hosts[0].uri, payload: structuredClone(payload) };
    for (const { resource, signingKey } of this.subscriptions.values()) {
      if (resource.state === 'active' && resource.events.includes(event)) {
        this.deliverer.deliver({ url: resource.callback_url, signingKey }, body);
      }
    }
  }

  /** Answers `/webhook_subscriptions` requests; `undefined` for any other path. */
  route(method: string, url: URL, rawBody: string): WebhookRouteAnswer | undefined {
    if (url.pathname === '/webhook_subscriptions') {
      if (this.options.forbidden) return forbidden();
      if (method === 'POST') return this.create(rawBody);
      if (method === 'GET') return this.listAnswer(url);
      return notFound();
    }
    const one = /^\/webhook_subscriptions\/([^/]+)$/.exec(url.pathname);
    if (!one) return undefined;
    if (this.options.forbidden) return forbidden();
    const uuid = decodeURIComponent(one[1]);
    const subscription = this.subscriptions.get(uuid);
    if (!subscription) return notFound();
    if (method === 'GET') return { status: 200, body: { resource: subscription.resource } };
    if (method === 'DELETE') {
      this.subscriptions.delete(uuid);
      return { status: 204, body: undefined };
    }
    return notFound();
  }

  close(): Promise<void> {
    return this.deliverer.close();
  }

  private create(rawBody: string): WebhookRouteAnswer {
    let body: Record<string, unknown>;
    try {
      body = JSON.parse(rawBody) as Record<string, unknown>;
    } catch {
      return invalid('body', 'must be JSON');
    }
    const { url, events, organization, scope, signing_key: signingKey } = body;
    if (typeof url !== 'string' || !/^https?:\/\//.test(url)) return invalid('url', 'must be an http or https URL');
    if (!Array.isArray(events) || events.length === 0 || !events.every((e) => typeof e === 'string' && KNOWN_EVENTS.has(e))) {
      return invalid('events', 'must list known events');
    }
    if (scope !== 'organization') return invalid('scope', 'only organization scope is simulated');
    if (organization !== this.dataset.organizationUri) {
      return { status: 403, body: { title: 'Permission Denied', message: 'You do not have permission to access this resource.' } };
    }
    if ([...this.subscriptions.values()].some((s) => s.resource.callback_url === url)) {
      return { status: 409, body: { title: 'Already Exists', message: 'Hook with this url already exists' } };
    }
    const uuid = this.dataset.newId();
    const now = formatCalendlyTime(Date.now());
    const resource: CalendlyWebhookSubscription = {
      uri: `${API_ROOT}/webhook_subscriptions/${uuid}`, callback_url: url, state: 'active', events: events as string[],
      scope: 'organization', organization: this.dataset.organizationUri, user: null, creator: this.dataset.hosts[0].uri,
      created_at: now, updated_at: now, retry_started_at: null,
    };
    // Without a key Calendly generates one it never shows: deliveries could not be verified.
    this.subscriptions.set(uuid, { resource, signingKey: typeof signingKey === 'string' ? signingKey : this.dataset.newId() });
    return { status: 201, body: { resource } };
  }

  private listAnswer(url: URL): WebhookRouteAnswer {
    const q = url.searchParams;
    if (q.get('scope') !== 'organization' || !q.get('organization')) return invalid('scope', 'organization and scope=organization are required');
    const collection = q.get('organization') === this.dataset.organizationUri ? this.list() : [];
    return {
      status: 200,
      body: { collection, pagination: { count: collection.length, next_page: null, previous_page: null, next_page_token: null, previous_page_token: null } },
    };
  }
}

function invalid(parameter: string, message: string): WebhookRouteAnswer {
  return { status: 400, body: { title: 'Invalid Argument', message: 'The supplied parameters are invalid.', details: [{ parameter, message }] } };
}

function forbidden(): WebhookRouteAnswer {
  return { status: 403, body: { title: 'Permission Denied', message: 'Please upgrade your Calendly account to Standard' } };
}

function notFound(): WebhookRouteAnswer {
  return { status: 404, body: { title: 'Resource Not Found', message: 'The server could not find the requested resource.' } };
}
