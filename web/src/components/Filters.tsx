import { useEffect, useState, type FormEvent } from "react";
import type { SearchResponse } from "../api/types";
import { attrLabel, valueLabel } from "../lib/attributes";
import { toggleAttr, type PageState } from "../lib/urlState";

type Patch = Partial<PageState>;

function FacetList({
  name,
  label,
  values,
  selected,
  onPick,
}: {
  name: "category" | "brand";
  label: string;
  values: { value: string; count: number }[];
  selected?: string;
  onPick: (value: string | undefined) => void;
}) {
  if (!values.length && !selected) return null;
  return (
    <fieldset className="facet">
      <legend>{label}</legend>
      <ul>
        {selected && !values.some((v) => v.value === selected) && (
          <li>
            <label>
              <input type="checkbox" name={name} checked onChange={() => onPick(undefined)} /> {selected}
            </label>
          </li>
        )}
        {values.map((v) => (
          <li key={v.value}>
            <label>
              <input
                type="checkbox"
                name={name}
                value={v.value}
                checked={selected === v.value}
                onChange={(e) => onPick(e.target.checked ? v.value : undefined)}
              />{" "}
              {v.value} <span className="muted">({v.count})</span>
            </label>
          </li>
        ))}
      </ul>
    </fieldset>
  );
}

/** One attribute's values (text) or range buckets (numbers): any number of them ticked. */
function AttributeFacet({
  name,
  values,
  selected,
  onToggle,
}: {
  name: string;
  values: { value: string; count: number }[];
  selected: string[];
  onToggle: (value: string, on: boolean) => void;
}) {
  // A ticked value the result no longer lists stays, to be unticked.
  const missing = selected.filter((s) => !values.some((v) => v.value === s));
  return (
    <fieldset className="facet" data-attribute={name}>
      <legend>{attrLabel(name)}</legend>
      <ul>
        {[...missing.map((value) => ({ value, count: null as number | null })), ...values].map((v) => (
          <li key={v.value}>
            <label>
              <input
                type="checkbox"
                name={`attr.${name}`}
                value={v.value}
                checked={selected.includes(v.value)}
                onChange={(e) => onToggle(v.value, e.target.checked)}
              />{" "}
              {valueLabel(v.value)} {v.count !== null && <span className="muted">({v.count})</span>}
            </label>
          </li>
        ))}
      </ul>
    </fieldset>
  );
}

export function Filters({
  state,
  result,
  onChange,
}: {
  state: PageState;
  result: SearchResponse | null;
  onChange: (patch: Patch) => void;
}) {
  const [min, setMin] = useState(state.min_price?.toString() ?? "");
  const [max, setMax] = useState(state.max_price?.toString() ?? "");
  useEffect(() => setMin(state.min_price?.toString() ?? ""), [state.min_price]);
  useEffect(() => setMax(state.max_price?.toString() ?? ""), [state.max_price]);
  const [error, setError] = useState<string | null>(null);

  const applyPrice = (e: FormEvent) => {
    e.preventDefault();
    const lo = min.trim() === "" ? undefined : Number(min);
    const hi = max.trim() === "" ? undefined : Number(max);
    if ((lo !== undefined && !(lo >= 0)) || (hi !== undefined && !(hi >= 0))) {
      setError("Prices must be numbers of 0 or more.");
      return;
    }
    if (lo !== undefined && hi !== undefined && lo > hi) {
      setError("The minimum is above the maximum.");
      return;
    }
    setError(null);
    onChange({ min_price: lo, max_price: hi });
  };

  return (
    <aside className="filters" aria-label="Filters">
      <FacetList
        name="category"
        label="Category"
        values={result?.facets.category ?? []}
        selected={state.category}
        onPick={(category) => onChange({ category })}
      />
      <FacetList
        name="brand"
        label="Brand"
        values={result?.facets.brand ?? []}
        selected={state.brand}
        onPick={(brand) => onChange({ brand })}
      />
      {attributeNames(state, result).map((name) => (
        <AttributeFacet
          key={name}
          name={name}
          values={result?.facets.attributes?.[name] ?? []}
          selected={state.attrs?.[name] ?? []}
          onToggle={(value, on) => onChange({ attrs: toggleAttr(state.attrs, name, value, on) })}
        />
      ))}
      <form className="facet" onSubmit={applyPrice} aria-label="Price range">
        <fieldset>
          <legend>Price</legend>
          <div className="price-range">
            <label>
              Min
              <input inputMode="decimal" name="min_price" value={min} onChange={(e) => setMin(e.target.value)}
                placeholder={result?.facets.price?.min?.toFixed(0) ?? "0"} aria-invalid={!!error} aria-describedby="price-error" />
            </label>
            <label>
              Max
              <input inputMode="decimal" name="max_price" value={max} onChange={(e) => setMax(e.target.value)}
                placeholder={result?.facets.price?.max?.toFixed(0) ?? ""} aria-invalid={!!error} aria-describedby="price-error" />
            </label>
            <button type="submit">Apply</button>
          </div>
          <p id="price-error" className="field-error" role={error ? "alert" : undefined}>
            {error}
          </p>
        </fieldset>
      </form>
      <div className="facet">
        <label htmlFor="min-rating">Minimum rating</label>
        <select
          id="min-rating"
          value={state.min_rating?.toString() ?? ""}
          onChange={(e) => onChange({ min_rating: e.target.value ? Number(e.target.value) : undefined })}
        >
          <option value="">Any rating</option>
          {[4, 3, 2, 1].map((r) => (
            <option key={r} value={r}>
              {r} stars and up
            </option>
          ))}
        </select>
      </div>
    </aside>
  );
}

/** The result's attribute facets in its order, then any filtered attribute it did not list. */
function attributeNames(state: PageState, result: SearchResponse | null): string[] {
  const listed = Object.keys(result?.facets.attributes ?? {});
  return [...listed, ...Object.keys(state.attrs ?? {}).filter((n) => !listed.includes(n))];
}
