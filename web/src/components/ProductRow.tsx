import type { Product } from "../api/types";
import { formatPrice } from "../lib/format";
import { Stars } from "./Stars";

export function ProductRow({
  title,
  products,
  onOpen,
}: {
  title: string;
  products: Product[];
  onOpen: (product: Product, position: number) => void;
}) {
  if (!products.length) return null;
  const id = "row-" + title.toLowerCase().replace(/\W+/g, "-");
  return (
    <section className="row" aria-labelledby={id}>
      <h2 id={id}>{title}</h2>
      <ul>
        {products.map((p, i) => (
          <li key={p.sku} className="mini">
            <button type="button" className="card-open" onClick={() => onOpen(p, i + 1)}>
              {p.title}
            </button>
            <span className="price">{formatPrice(p.price)}</span>
            <Stars rating={p.rating} />
          </li>
        ))}
      </ul>
    </section>
  );
}
