import { CalendlyError } from './calendly.error';
import type { CalendlyPage } from './calendly.types';

export type QueryParams = Record<string, string | number>;
export type PageFetcher = <T>(path: string, params: QueryParams) => Promise<CalendlyPage<T>>;

/**
 * Walks a Calendly collection page by page, following `pagination.next_page_token` as
 * `page_token` until both `next_page` and `next_page_token` are null. Yields each page's items.
 */
export async function* paginate<T>(fetchPage: PageFetcher, path: string, params: QueryParams): AsyncGenerator<T[]> {
  const seen = new Set<string>();
  let pageToken: string | null = null;
  for (;;) {
    const page: CalendlyPage<T> = await fetchPage<T>(path, pageToken === null ? params : { ...params, page_token: pageToken });
    yield page.collection;
    pageToken = nextPageToken(page);
    if (pageToken === null) return;
    // A server that hands back a token twice would loop forever.
    if (seen.has(pageToken)) {
      throw new CalendlyError('CALENDLY_BAD_RESPONSE', `GET ${path} returned the same next_page_token twice`, {
        method: 'GET', path, attempts: 1,
      });
    }
    seen.add(pageToken);
  }
}

function nextPageToken(page: CalendlyPage<unknown>): string | null {
  const { next_page_token: token, next_page: nextPage } = page.pagination;
  if (token) return token;
  if (!nextPage) return null;
  // Only a full URL given: its page_token query parameter is the token.
  try {
    return new URL(nextPage).searchParams.get('page_token');
  } catch {
    return null;
  }
}
