import { act, fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import type { Analytics } from "../api/types";
import { emptyAnalytics, sampleAnalytics } from "../test/analyticsSample";
import { mockFetch } from "../test/fetchMock";
import DashboardPage, { REFRESH_MS } from "./DashboardPage";

beforeAll(() => {
  // jsdom has no layout; recharts' ResponsiveContainer only needs the observer to exist.
  globalThis.ResizeObserver ??= class {
    observe() {}
    unobserve() {}
    disconnect() {}
  } as unknown as typeof ResizeObserver;
});

let hidden = false;
Object.defineProperty(document, "hidden", { configurable: true, get: () => hidden });

afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllGlobals();
  hidden = false;
});

function serve(answer: () => { status?: number; body?: unknown }) {
  const calls = mockFetch((url) => (url.pathname === "/api/analytics" ? answer() : undefined));
  return () => calls.filter((c) => c.url.pathname === "/api/analytics");
}

const ok = (body: Analytics) => () => ({ body });

describe("DashboardPage", () => {
  it("renders the figures of a readout", async () => {
    serve(ok(sampleAnalytics()));
    render(<DashboardPage />);
    const personalized = await screen.findByTestId("arm-personalized");
    expect(personalized).toHaveTextContent("988");
    expect(personalized).toHaveTextContent("4,020");
    expect(personalized).toHaveTextContent("22.4 %");
    expect(personalized).toHaveTextContent("6.0 %");
    expect(screen.getByTestId("arm-popularity")).toHaveTextContent("1,012");
    expect(screen.getByTestId("verdict")).toHaveTextContent("personalized is better on click-through");
    const ctr = screen.getByTestId("lift-ctr");
    expect(ctr).toHaveTextContent("+12.0 %");
    expect(ctr).toHaveTextContent("+4.0 % to +20.0 %");
    expect(ctr).toHaveTextContent("0.002");
    expect(screen.getByTestId("lift-conversion")).toHaveTextContent("−1.0 % to +41.0 %");
    expect(screen.getByTestId("lift-ctr_per_impression")).toHaveTextContent("< 0.001");
    expect(screen.getByText(/Method: two-proportion z-test/)).toBeInTheDocument();
    expect(screen.getByText(/The split matches/)).toHaveTextContent("p = 0.590");
    expect(within(screen.getByRole("region", { name: "Top queries" })).getByText("wireless headphones")).toBeInTheDocument();
    expect(within(screen.getByRole("region", { name: "Zero-result queries" })).getByText("flux capacitor")).toBeInTheDocument();
    expect(within(screen.getByRole("region", { name: "Lowest click-through queries" })).getByText("2.5 %")).toBeInTheDocument();
    expect(screen.getByText("Headphones, Laptops")).toBeInTheDocument();
    expect(screen.getByText("640 users")).toBeInTheDocument();
    for (const id of ["lift-chart", "series-chart", "position-chart"]) expect(screen.getByTestId(id)).toBeInTheDocument();
    expect(screen.getByTestId("last-updated")).toHaveTextContent(/Last updated \d\d:\d\d:\d\d/);
  });

  it("warns visibly on a sample ratio mismatch", async () => {
    const sample = sampleAnalytics();
    serve(ok({ ...sample, sample_ratio: { ...sample.sample_ratio, observed: { popularity: 0.6, personalized: 0.4 }, p_value: 0.00001, mismatch: true } }));
    render(<DashboardPage />);
    expect(await screen.findByText(/Sample ratio mismatch/)).toHaveTextContent("p = < 0.001");
    expect(screen.getByText("60.0 %")).toBeInTheDocument();
  });

  it("refreshes every 30 s while visible, pauses when hidden and refreshes on return", async () => {
    vi.useFakeTimers({ toFake: ["setInterval", "clearInterval"] });
    const calls = serve(ok(sampleAnalytics()));
    render(<DashboardPage />);
    await screen.findByTestId("verdict");
    expect(calls()).toHaveLength(1);

    await act(async () => vi.advanceTimersByTime(REFRESH_MS));
    await waitFor(() => expect(calls()).toHaveLength(2));

    hidden = true;
    act(() => document.dispatchEvent(new Event("visibilitychange")));
    await act(async () => vi.advanceTimersByTime(REFRESH_MS * 3));
    expect(calls()).toHaveLength(2);

    hidden = false;
    act(() => document.dispatchEvent(new Event("visibilitychange")));
    await waitFor(() => expect(calls()).toHaveLength(3));
    await act(async () => vi.advanceTimersByTime(REFRESH_MS));
    await waitFor(() => expect(calls()).toHaveLength(4));
  });

  it("asks for the chosen window", async () => {
    const calls = serve(ok(sampleAnalytics()));
    render(<DashboardPage />);
    await screen.findByTestId("verdict");
    expect(calls()[0].url.searchParams.get("days")).toBe("30");
    fireEvent.change(screen.getByLabelText("Window"), { target: { value: "7" } });
    await waitFor(() => expect(calls().at(-1)!.url.searchParams.get("days")).toBe("7"));
    fireEvent.change(screen.getByLabelText("Window"), { target: { value: "90" } });
    await waitFor(() => expect(calls().at(-1)!.url.searchParams.get("days")).toBe("90"));
  });

  it("says admins only when the server answers 403", async () => {
    serve(() => ({ status: 403, body: { error: { code: "forbidden", message: "administrators only", details: null } } }));
    render(<DashboardPage />);
    expect(await screen.findByRole("heading", { name: "Admins only" })).toBeInTheDocument();
    expect(screen.getByText(/not an administrator/)).toBeInTheDocument();
  });

  it("shows a server error instead of swallowing it", async () => {
    serve(() => ({ status: 500, body: { error: { code: "internal", message: "the database is down", details: null } } }));
    render(<DashboardPage />);
    expect(await screen.findByRole("alert")).toHaveTextContent("the database is down");
  });

  it("shows the empty, not-enough-data state", async () => {
    serve(ok(emptyAnalytics()));
    render(<DashboardPage />);
    expect(await screen.findByTestId("verdict")).toHaveTextContent("not enough data");
    expect(screen.getByText(/No searches in this window yet/)).toBeInTheDocument();
    expect(screen.getByText(/No lift yet/)).toBeInTheDocument();
    expect(screen.getByText(/No traffic in this window yet/)).toBeInTheDocument();
    expect(screen.getByText(/No impressions in this window yet/)).toBeInTheDocument();
    expect(screen.getByText(/recluster job has not run/)).toBeInTheDocument();
    expect(screen.queryByTestId("series-chart")).not.toBeInTheDocument();
  });
});
