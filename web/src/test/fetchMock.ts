import { vi } from "vitest";

export type Route = (url: URL, init: RequestInit) => { status?: number; body?: unknown } | undefined;

/** Replace fetch with a router over (url, init); unanswered requests fail the test loudly. */
export function mockFetch(route: Route) {
  const calls: { url: URL; init: RequestInit }[] = [];
  const fn = vi.fn(async (input: RequestInfo | URL, init: RequestInit = {}) => {
    const url = new URL(String(input), "http://shop.test");
    calls.push({ url, init });
    const answer = route(url, init);
    if (!answer) throw new Error(`unexpected request ${init.method ?? "GET"} ${url.pathname}`);
    const status = answer.status ?? 200;
    return new Response(status === 204 ? null : JSON.stringify(answer.body ?? {}), {
      status,
      headers: { "Content-Type": "application/json" },
    });
  });
  vi.stubGlobal("fetch", fn);
  return calls;
}
