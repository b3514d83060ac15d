import type { CalendlyPage } from '../../../src/calendly/calendly.types';
import { paginate, type QueryParams } from '../../../src/calendly/paginate';

function pageOf(items: number[], nextToken: string | null, nextPage: string | null = nextToken ? `https://api.example/x?page_token=${nextToken}` : null): CalendlyPage<number> {
  return {
    collection: items,
    pagination: { count: items.length, next_page: nextPage, previous_page: null, next_page_token: nextToken, previous_page_token: null },
  };
}

async function pagesFrom(responses: Record<string, CalendlyPage<number>>, params: QueryParams = { count: 2 }) {
  const calls: QueryParams[] = [];
  const fetchPage = async <T>(_path: string, query: QueryParams) => {
    calls.push(query);
    return responses[String(query.page_token ?? 'first')] as unknown as CalendlyPage<T>;
  };
  const pages: number[][] = [];
  for await (const page of paginate<number>(fetchPage, '/things', params)) pages.push(page);
  return { pages, calls };
}

describe('paginate', () => {
  it('should yield every page in order when next_page_token links them', async () => {
    // Arrange
    const responses = { first: pageOf([1, 2], 't2'), t2: pageOf([3, 4], 't3'), t3: pageOf([5], null) };
    // Act
    const { pages, calls } = await pagesFrom(responses);
    // Assert
    expect(pages).toEqual([[1, 2], [3, 4], [5]]);
    expect(calls).toEqual([{ count: 2 }, { count: 2, page_token: 't2' }, { count: 2, page_token: 't3' }]);
  });

  it('should stop after one page when next_page and next_page_token are both null', async () => {
    const { pages, calls } = await pagesFrom({ first: pageOf([1], null, null) });
    expect(pages).toEqual([[1]]);
    expect(calls).toHaveLength(1);
  });

  it('should take page_token from next_page when only the URL is given', async () => {
    const responses = { first: pageOf([1], null, 'https://api.example/x?count=1&page_token=abc'), abc: pageOf([2], null, null) };
    const { pages } = await pagesFrom(responses);
    expect(pages).toEqual([[1], [2]]);
  });

  it('should fail with CALENDLY_BAD_RESPONSE when the server repeats a page token', async () => {
    const responses = { first: pageOf([1], 'again'), again: pageOf([2], 'again') };
    await expect(pagesFrom(responses)).rejects.toMatchObject({ code: 'CALENDLY_BAD_RESPONSE' });
  });
});
