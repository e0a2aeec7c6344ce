import { afterEach, describe, expect, it, vi } from "vitest";
import { mockFetch } from "../test/fetchMock";
import { api, ApiError, readCookie } from "./client";

afterEach(() => {
  vi.unstubAllGlobals();
  document.cookie = "csrftoken=; max-age=0";
});

describe("api client", () => {
  it("echoes the CSRF cookie on unsafe requests only", async () => {
    document.cookie = "csrftoken=abc123";
    const calls = mockFetch((url) => (url.pathname === "/api/cart/items" ? { body: { items: [] } } : { body: {} }));
    await api.addToCart("SKU-1", 2);
    await api.search({ q: "tv" });
    const [post, get] = calls;
    expect((post.init.headers as Record<string, string>)["X-CSRF-Token"]).toBe("abc123");
    expect(post.init.credentials).toBe("same-origin");
    expect(JSON.parse(String(post.init.body))).toEqual({ sku: "SKU-1", quantity: 2 });
    expect((get.init.headers as Record<string, string>)["X-CSRF-Token"]).toBeUndefined();
    expect(get.url.searchParams.get("q")).toBe("tv");
  });

  it("turns the error shape into an ApiError naming the field", async () => {
    mockFetch(() => ({
      status: 400,
      body: { error: { code: "validation_error", message: "password is too short", details: { field: "password" } } },
    }));
    const error = await api.signup("ada", "x").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).status).toBe(400);
    expect((error as ApiError).field).toBe("password");
    expect((error as ApiError).message).toBe("password is too short");
  });

  it("reports a network failure without a status", async () => {
    vi.stubGlobal("fetch", vi.fn(async () => { throw new TypeError("offline"); }));
    const error = (await api.cart().catch((e: unknown) => e)) as ApiError;
    expect(error.status).toBe(0);
  });

  it("reads a cookie by exact name", () => {
    expect(readCookie("csrftoken", "xcsrftoken=1; csrftoken=two%3D")).toBe("two=");
    expect(readCookie("missing", "a=1")).toBeNull();
  });
});
