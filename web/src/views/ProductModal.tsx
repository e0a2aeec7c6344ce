import { useEffect, useRef, useState, type FormEvent } from "react";
import { api, ApiError } from "../api/client";
import type { Product, Reviews } from "../api/types";
import { Stars } from "../components/Stars";
import { sendEvent, type Origin } from "../lib/events";
import { formatPrice } from "../lib/format";
import { useSession } from "../state/session";
import { useToast } from "../state/toasts";

interface Props {
  sku: string;
  origin: Origin;
  onClose: () => void;
  onViewed: () => void;
  onLogin: () => void;
}

export default function ProductModal({ sku, origin, onClose, onViewed, onLogin }: Props) {
  const { user, setCart } = useSession();
  const toast = useToast();
  const [product, setProduct] = useState<Product | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [quantity, setQuantity] = useState(1);
  const [adding, setAdding] = useState(false);
  const dialog = useRef<HTMLDialogElement>(null);

  useEffect(() => {
    const d = dialog.current;
    if (d && !d.open) {
      if (typeof d.showModal === "function") d.showModal();
      else d.setAttribute("open", "");
    }
  }, []);

  useEffect(() => {
    let current = true;
    setProduct(null);
    api
      .product(sku)
      .then((p) => {
        if (!current) return;
        setProduct(p);
        sendEvent({ type: "view", sku, ...origin });
        onViewed();
      })
      .catch((e: unknown) => current && setError(e instanceof ApiError ? e.message : "The product could not be loaded."));
    return () => {
      current = false;
    };
    // The origin belongs to the click that opened this product; it does not re-trigger a view.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [sku]);

  const add = async (e: FormEvent) => {
    e.preventDefault();
    if (!user) {
      toast("info", "Log in to add products to your cart.");
      onLogin();
      return;
    }
    setAdding(true);
    try {
      setCart(await api.addToCart(sku, quantity));
      sendEvent({ type: "add_to_cart", sku, ...origin });
      toast("success", `Added ${quantity} × ${product?.title ?? sku} to your cart.`);
    } catch (err) {
      toast("error", err instanceof ApiError ? err.message : "Could not add to the cart.");
    } finally {
      setAdding(false);
    }
  };

  const attributes = Object.entries(product?.attributes ?? {});
  return (
    <dialog ref={dialog} className="modal" aria-labelledby="product-title" onClose={onClose} onCancel={onClose}>
      <div className="modal-head">
        <h2 id="product-title">{product?.title ?? (error ? "Product unavailable" : "Loading…")}</h2>
        <button type="button" className="icon" aria-label="Close product" onClick={onClose} autoFocus>
          ×
        </button>
      </div>
      {error && <p role="alert" className="error-box">{error}</p>}
      {!product && !error && (
        <div className="skeleton" aria-hidden="true">
          <span className="bone wide" />
          <span className="bone" />
          <span className="bone" />
        </div>
      )}
      {product && (
        <div className="product">
          <p className="meta">
            {product.brand && <span className="brand">{product.brand}</span>}
            {product.category && <span className="muted"> · {product.category}</span>}
          </p>
          <p className="price big">{formatPrice(product.price)}</p>
          <p>
            <Stars rating={product.rating} /> <span className="muted">{product.review_count ?? 0} reviews</span>
          </p>
          <form className="add" onSubmit={add}>
            <label htmlFor="quantity">Quantity</label>
            <input id="quantity" type="number" min={1} max={99} value={quantity}
              onChange={(e) => setQuantity(Math.max(1, Math.min(99, Number(e.target.value) || 1)))} />
            <button type="submit" className="primary" disabled={adding}>
              {adding ? "Adding…" : "Add to cart"}
            </button>
          </form>
          {product.description && <p className="description">{product.description}</p>}
          {attributes.length > 0 && (
            <dl className="attributes">
              {attributes.map(([k, v]) => (
                <div key={k}>
                  <dt>{k.replace(/_/g, " ")}</dt>
                  <dd>{String(v)}</dd>
                </div>
              ))}
            </dl>
          )}
          <ReviewsSection sku={sku} />
        </div>
      )}
    </dialog>
  );
}

function ReviewsSection({ sku }: { sku: string }) {
  const { user } = useSession();
  const toast = useToast();
  const [reviews, setReviews] = useState<Reviews | null>(null);
  const [failed, setFailed] = useState(false);
  const [rating, setRating] = useState(5);
  const [comment, setComment] = useState("");
  const [fieldError, setFieldError] = useState<{ field: string | null; message: string } | null>(null);

  const load = () =>
    api
      .reviews(sku)
      .then((r) => {
        setReviews(r);
        const mine = user ? r.reviews.find((rv) => rv.username === user.username) : undefined;
        if (mine) {
          setRating(mine.rating);
          setComment(mine.comment ?? "");
        }
      })
      .catch(() => setFailed(true));

  useEffect(() => {
    void load();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [sku, user?.username]);

  const mine = user ? reviews?.reviews.find((rv) => rv.username === user.username) : undefined;

  const save = async (e: FormEvent) => {
    e.preventDefault();
    setFieldError(null);
    try {
      await api.putReview(sku, rating, comment);
      toast("success", mine ? "Your review was updated." : "Thanks for your review.");
      await load();
    } catch (err) {
      if (err instanceof ApiError) setFieldError({ field: err.field, message: err.message });
      else toast("error", "Your review could not be saved.");
    }
  };

  const remove = async () => {
    try {
      await api.deleteReview(sku);
      setComment("");
      setRating(5);
      toast("success", "Your review was deleted.");
      await load();
    } catch {
      toast("error", "Your review could not be deleted.");
    }
  };

  return (
    <section className="reviews" aria-labelledby="reviews-title">
      <h3 id="reviews-title">
        Reviews {reviews && <span className="muted">({reviews.total}{reviews.average != null ? `, average ${reviews.average.toFixed(1)}` : ""})</span>}
      </h3>
      {failed && <p className="muted">Reviews are not available right now.</p>}
      {user && (
        <form className="review-form" onSubmit={save} aria-label="Your review">
          <label htmlFor="review-rating">Your rating</label>
          <select id="review-rating" value={rating} onChange={(e) => setRating(Number(e.target.value))}
            aria-invalid={fieldError?.field === "rating"}>
            {[5, 4, 3, 2, 1].map((r) => (
              <option key={r} value={r}>{r} star{r > 1 ? "s" : ""}</option>
            ))}
          </select>
          <label htmlFor="review-comment">Comment</label>
          <textarea id="review-comment" value={comment} onChange={(e) => setComment(e.target.value)} rows={3}
            aria-invalid={fieldError?.field === "comment"} aria-describedby="review-error" />
          <p id="review-error" className="field-error">{fieldError?.message}</p>
          <div className="actions">
            <button type="submit" className="primary">{mine ? "Update review" : "Post review"}</button>
            {mine && <button type="button" onClick={remove}>Delete review</button>}
          </div>
        </form>
      )}
      <ul>
        {reviews?.reviews.map((r) => (
          <li key={r.username + r.created_at} className="review">
            <Stars rating={r.rating} /> <strong>{r.username}</strong>
            {r.comment && <p>{r.comment}</p>}
          </li>
        ))}
      </ul>
      {reviews && reviews.reviews.length === 0 && <p className="muted">No reviews yet.</p>}
    </section>
  );
}
