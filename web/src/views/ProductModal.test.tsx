import { fireEvent, render, screen, waitFor } from "@testing-library/react";
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { SessionProvider } from "../state/session";
import { ToastProvider } from "../state/toasts";
import { mockFetch } from "../test/fetchMock";
import CartDrawer from "./CartDrawer";
import ProductModal from "./ProductModal";

const USER = { id: 7, username: "ada", email: null, email_verified: false, is_admin: false, group: "control", created_at: "" };
const PRODUCT = {
  sku: "HP-1", title: "Sonora Buds", description: "Small and loud.", category: "Headphones", brand: "Sonora",
  price: 20, rating: 4, review_count: 1, image_url: null, attributes: { color: "Silver" },
};
const cartWith = (quantity: number) => ({
  items: quantity ? [{ sku: "HP-1", title: "Sonora Buds", price: 20, quantity, line_total: 20 * quantity }] : [],
  total_items: quantity, total_price: 20 * quantity,
});

beforeAll(() => {
  HTMLDialogElement.prototype.showModal ??= function (this: HTMLDialogElement) {
    this.setAttribute("open", "");
  };
});
afterEach(() => vi.unstubAllGlobals());

function shop(cart = cartWith(0)) {
  let current = cart;
  return mockFetch((url, init) => {
    const method = init.method ?? "GET";
    if (url.pathname === "/api/auth/me") return { body: { user: USER } };
    if (url.pathname === "/api/products/HP-1") return { body: PRODUCT };
    if (url.pathname === "/api/products/HP-1/reviews")
      return { body: { reviews: [{ username: "ada", rating: 3, comment: "fine", created_at: "2026-01-01T00:00:00Z" }], total: 1, average: 3 } };
    if (url.pathname === "/api/events") return { status: 202, body: { accepted: true } };
    if (url.pathname === "/api/cart" && method === "GET") return { body: current };
    if (url.pathname === "/api/cart" && method === "DELETE") return { body: (current = cartWith(0)) };
    if (url.pathname === "/api/cart/items" && method === "POST") {
      const { quantity } = JSON.parse(String(init.body)) as { quantity: number };
      return { body: (current = cartWith(current.total_items + quantity)) };
    }
    if (url.pathname === "/api/cart/items/HP-1" && method === "PUT") {
      const { quantity } = JSON.parse(String(init.body)) as { quantity: number };
      return { body: (current = cartWith(quantity)) };
    }
    return undefined;
  });
}

const wrap = (node: React.ReactNode) => render(<ToastProvider><SessionProvider>{node}</SessionProvider></ToastProvider>);

describe("ProductModal", () => {
  it("sends the view and the add-to-cart with where the product was found", async () => {
    const calls = shop();
    wrap(<ProductModal sku="HP-1" origin={{ search_id: "s-9", position: 3, query: "buds" }} onClose={vi.fn()} onViewed={vi.fn()} onLogin={vi.fn()} />);
    await screen.findByRole("heading", { name: "Sonora Buds" });
    expect(screen.getByText("Small and loud.")).toBeInTheDocument();
    expect(screen.getByText("Silver")).toBeInTheDocument();
    // The shopper's own review fills the form for editing.
    await waitFor(() => expect(screen.getByLabelText("Comment")).toHaveValue("fine"));
    expect(screen.getByRole("button", { name: "Update review" })).toBeInTheDocument();
    fireEvent.change(screen.getByLabelText("Quantity"), { target: { value: "2" } });
    await waitFor(() => expect(screen.getByRole("button", { name: "Add to cart" })).toBeEnabled());
    fireEvent.click(screen.getByRole("button", { name: "Add to cart" }));
    await screen.findByText(/Added 2 × Sonora Buds/);
    const events = calls.filter((c) => c.url.pathname === "/api/events").map((c) => JSON.parse(String(c.init.body)));
    expect(events).toEqual([
      { type: "view", sku: "HP-1", search_id: "s-9", position: 3, query: "buds" },
      { type: "add_to_cart", sku: "HP-1", search_id: "s-9", position: 3, query: "buds" },
    ]);
    const add = calls.find((c) => c.url.pathname === "/api/cart/items")!;
    expect(JSON.parse(String(add.init.body))).toEqual({ sku: "HP-1", quantity: 2 });
  });
});

describe("CartDrawer", () => {
  it("shows lines and totals, changes a quantity and clears", async () => {
    const calls = shop(cartWith(2));
    wrap(<CartDrawer onClose={vi.fn()} onLogin={vi.fn()} />);
    const quantity = await screen.findByLabelText("Quantity of Sonora Buds");
    expect(quantity).toHaveValue(2);
    expect(screen.getByTestId("cart-total")).toHaveTextContent("$40.00");
    fireEvent.change(quantity, { target: { value: "3" } });
    fireEvent.blur(quantity);
    await waitFor(() => expect(screen.getByTestId("cart-total")).toHaveTextContent("$60.00"));
    expect(calls.some((c) => c.init.method === "PUT" && JSON.parse(String(c.init.body)).quantity === 3)).toBe(true);
    fireEvent.click(screen.getByRole("button", { name: "Clear cart" }));
    expect(await screen.findByText("Your cart is empty.", { selector: "p" })).toBeInTheDocument();
  });
});
