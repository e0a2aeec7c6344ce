export function Stars({ rating }: { rating: number | null | undefined }) {
  const value = Math.max(0, Math.min(5, rating ?? 0));
  const full = Math.round(value);
  return (
    <span className="stars" role="img" aria-label={`Rated ${value.toFixed(1)} out of 5`}>
      <span aria-hidden="true">{"★".repeat(full)}</span>
      <span aria-hidden="true" className="stars-empty">
        {"★".repeat(5 - full)}
      </span>
    </span>
  );
}
