import express, { type RequestHandler } from 'express';
import { WEBHOOK_SIGNATURE_HEADER, type WebhookReceiver } from '../webhooks/webhook-receiver';

// A delivery is one invitee with its event: a few kilobytes. Anything near this is not Calendly.
export const MAX_WEBHOOK_BYTES = 256 * 1024;

/**
 * `POST /webhooks/calendly`: the raw bytes (the signature covers them exactly, so no JSON parser
 * may run first), at most MAX_WEBHOOK_BYTES (413, read to the end so the connection stays
 * usable), whatever the content type; then the receiver decides. No API token: Calendly cannot
 * send one, the signature is the authentication.
 */
export function calendlyWebhookRoute(receiver: WebhookReceiver): RequestHandler[] {
  return [
    express.raw({ type: () => true, limit: MAX_WEBHOOK_BYTES }),
    async (req, res) => {
      const body = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
      const answer = await receiver.receive(body, req.get(WEBHOOK_SIGNATURE_HEADER));
      res.status(answer.status).json({ outcome: answer.outcome });
    },
  ];
}
