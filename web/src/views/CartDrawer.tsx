import { useEffect, useRef, useState } from "react";
import { api, ApiError } from "../api/client";
import type { Cart } from "../api/types";
import { formatPrice } from "../lib/format";
import { useSession } from "../state/session";
import { useToast } from "../state/toasts";

export default function CartDrawer({ onClose, onLogin }: { onClose: () => void; onLogin: () => void }) {
  const { user, cart, setCart, refreshCart } = useSession();
  const toast = useToast();
  const [busy, setBusy] = useState(false);
  const dialog = useRef<HTMLDialogElement>(null);

  useEffect(() => {
    const d = dialog.current;
    if (d && !d.open) {
      if (typeof d.showModal === "function") d.showModal();
      else d.setAttribute("open", "");
    }
    void refreshCart();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  const run = async (action: () => Promise<Cart>, done?: string) => {
    setBusy(true);
    try {
      setCart(await action());
      if (done) toast("success", done);
    } catch (e) {
      toast("error", e instanceof ApiError ? e.message : "The cart could not be changed.");
    } finally {
      setBusy(false);
    }
  };

  return (
    <dialog ref={dialog} className="drawer" aria-labelledby="cart-title" onClose={onClose} onCancel={onClose}>
      <div className="modal-head">
        <h2 id="cart-title">Your cart</h2>
        <button type="button" className="icon" aria-label="Close cart" onClick={onClose} autoFocus>
          ×
        </button>
      </div>
      {!user ? (
        <p>
          <button type="button" className="link" onClick={onLogin}>Log in</button> to see your cart.
        </p>
      ) : cart.items.length === 0 ? (
        <p className="muted">Your cart is empty.</p>
      ) : (
        <>
          <ul className="cart-lines" aria-busy={busy}>
            {cart.items.map((line) => (
              <li key={line.sku} className="cart-line" data-sku={line.sku}>
                <span className="cart-title">{line.title}</span>
                <span className="muted">{formatPrice(line.price)} each</span>
                <label>
                  <span className="visually-hidden">Quantity of {line.title}</span>
                  <input type="number" min={0} max={99} defaultValue={line.quantity} key={line.quantity}
                    onBlur={(e) => {
                      const q = Math.max(0, Math.min(99, Math.floor(Number(e.target.value) || 0)));
                      if (q !== line.quantity) void run(() => api.setQuantity(line.sku, q));
                    }} />
                </label>
                <span className="line-total">{formatPrice(line.line_total)}</span>
                <button type="button" onClick={() => run(() => api.removeLine(line.sku), `Removed ${line.title}.`)}
                  aria-label={`Remove ${line.title}`}>
                  Remove
                </button>
              </li>
            ))}
          </ul>
          <p className="totals">
            <span>{cart.total_items} item{cart.total_items === 1 ? "" : "s"}</span>
            <strong data-testid="cart-total">{formatPrice(cart.total_price)}</strong>
          </p>
          <button type="button" onClick={() => run(() => api.clearCart(), "Your cart is empty.")} disabled={busy}>
            Clear cart
          </button>
        </>
      )}
    </dialog>
  );
}
