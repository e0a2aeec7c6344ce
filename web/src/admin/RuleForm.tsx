import { useState, type FormEvent, type ReactNode } from "react";
import { ApiError } from "../api/client";
import type { Rule, RuleBoost, RuleInput } from "../api/types";
import { splitTerms } from "./SynonymForm";

type Trigger = "query" | "contains" | "category";
const TRIGGERS: { kind: Trigger; label: string; field: string }[] = [
  { kind: "query", label: "Exact query", field: "Query" },
  { kind: "contains", label: "Query contains", field: "Phrase" },
  { kind: "category", label: "Category page", field: "Category" },
];

type PinRow = { sku: string; position: string };
type BoostRow = {
  brand: string; category: string; attribute: string; value: string;
  min_price: string; max_price: string; weight: string;
};
const NO_BOOST: BoostRow = { brand: "", category: "", attribute: "", value: "", min_price: "", max_price: "", weight: "1" };

/** The form's fields, and which one the server's `details.field` (`pin`, `boost`, `ends_at`…) blames. */
type Field = "name" | "trigger" | "pin" | "hide" | "boost" | "starts_at" | "ends_at" | "form";

export function fieldOf(error: ApiError): Field {
  const key = (error.field ?? "").split(/[.[]/)[0];
  if (key === "query" || key === "contains" || key === "category") return "trigger";
  if (["name", "pin", "hide", "boost", "starts_at", "ends_at"].includes(key)) return key as Field;
  return "form";
}

/** An attribute value as typed: a number or true/false when it reads as one (the catalog stores those). */
export function typedValue(text: string): string | number | boolean {
  const t = text.trim();
  if (t === "true" || t === "false") return t === "true";
  return t !== "" && Number.isFinite(Number(t)) ? Number(t) : t;
}

const num = (text: string): number | null => (text.trim() === "" ? null : Number(text));

/** `datetime-local` speaks the browser's time zone without an offset; the API wants one. */
function toIso(local: string): string | null {
  return local ? new Date(local).toISOString() : null;
}

function toLocal(iso: string | null | undefined): string {
  if (!iso) return "";
  const d = new Date(iso);
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

function boostRow(b: RuleBoost): BoostRow {
  const f = b.filter;
  return {
    brand: f.brand ?? "", category: f.category ?? "", attribute: f.attribute?.name ?? "",
    value: f.attribute ? String(f.attribute.value) : "", min_price: f.min_price?.toString() ?? "",
    max_price: f.max_price?.toString() ?? "", weight: String(b.weight),
  };
}

export function ruleInput(
  name: string, kind: Trigger, trigger: string, pins: PinRow[], hide: string, boosts: BoostRow[],
  starts: string, ends: string,
): RuleInput {
  return {
    name: name.trim(),
    [kind]: trigger,
    pin: pins.filter((p) => p.sku.trim()).map((p) => ({ sku: p.sku.trim(), position: Number(p.position) })),
    hide: splitTerms(hide),
    boost: boosts.map((b) => ({
      filter: {
        ...(b.brand.trim() ? { brand: b.brand.trim() } : {}),
        ...(b.category.trim() ? { category: b.category.trim() } : {}),
        ...(b.attribute.trim() ? { attribute: { name: b.attribute.trim(), value: typedValue(b.value) } } : {}),
        ...(num(b.min_price) !== null ? { min_price: num(b.min_price) } : {}),
        ...(num(b.max_price) !== null ? { max_price: num(b.max_price) } : {}),
      },
      weight: Number(b.weight),
    })),
    starts_at: toIso(starts),
    ends_at: toIso(ends),
  };
}

type Props = {
  initial?: Rule;
  submitLabel: string;
  onSubmit: (input: RuleInput) => Promise<void>; // rejects with the server's refusal
  onCancel?: () => void;
};

/** Add or edit a curation rule; a refusal is shown beside the field the server names. */
export function RuleForm({ initial, submitLabel, onSubmit, onCancel }: Props) {
  const first: Trigger = initial?.contains != null ? "contains" : initial?.category != null ? "category" : "query";
  const [name, setName] = useState(initial && initial.name !== `rule ${initial.id}` ? initial.name : "");
  const [kind, setKind] = useState<Trigger>(first);
  const [trigger, setTrigger] = useState(initial?.[first] ?? "");
  const [pins, setPins] = useState<PinRow[]>(
    initial?.pin.map((p) => ({ sku: p.sku, position: String(p.position) })) ?? [{ sku: "", position: "1" }],
  );
  const [hide, setHide] = useState((initial?.hide ?? []).join(", "));
  const [boosts, setBoosts] = useState<BoostRow[]>(initial?.boost.map(boostRow) ?? []);
  const [starts, setStarts] = useState(toLocal(initial?.starts_at));
  const [ends, setEnds] = useState(toLocal(initial?.ends_at));
  const [error, setError] = useState<{ field: Field; message: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const id = initial ? `rule-${initial.id}` : "rule-new";

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await onSubmit(ruleInput(name, kind, trigger, pins, hide, boosts, starts, ends));
      if (!initial) {
        setName(""); setTrigger(""); setPins([{ sku: "", position: "1" }]); setHide(""); setBoosts([]);
        setStarts(""); setEnds("");
      }
    } catch (err) {
      setError(err instanceof ApiError ? { field: fieldOf(err), message: err.message } : { field: "form", message: "Something went wrong." });
    } finally {
      setBusy(false);
    }
  };

  const problem = (field: Field): ReactNode =>
    error?.field === field ? <p className="field-error" role="alert" id={`${id}-${field}-error`}>{error.message}</p> : null;
  const described = (field: Field) => (error?.field === field ? `${id}-${field}-error` : undefined);
  const setPin = (i: number, patch: Partial<PinRow>) => setPins(pins.map((p, j) => (j === i ? { ...p, ...patch } : p)));
  const setBoost = (i: number, patch: Partial<BoostRow>) => setBoosts(boosts.map((b, j) => (j === i ? { ...b, ...patch } : b)));
  const field = TRIGGERS.find((t) => t.kind === kind)!.field;

  return (
    <form className="rule-form" onSubmit={submit} aria-label={initial ? `Edit rule ${initial.id}` : "Add a rule"}>
      <label>Name (optional) <input value={name} onChange={(e) => setName(e.target.value)} placeholder="winter jackets first"
        aria-describedby={described("name")} /></label>
      {problem("name")}
      <fieldset>
        <legend>When</legend>
        <div className="synonym-kind">
          {TRIGGERS.map((t) => (
            <label key={t.kind}>
              <input type="radio" name={`${id}-trigger`} checked={kind === t.kind} onChange={() => setKind(t.kind)} /> {t.label}
            </label>
          ))}
        </div>
        <label>{field} <input value={trigger} onChange={(e) => setTrigger(e.target.value)} aria-describedby={described("trigger")} /></label>
        {problem("trigger")}
      </fieldset>
      <fieldset>
        <legend>Pin</legend>
        {pins.map((p, i) => (
          <div className="rule-row" key={i}>
            <label>Pinned SKU <input value={p.sku} onChange={(e) => setPin(i, { sku: e.target.value })} aria-describedby={described("pin")} /></label>
            <label>Position <input type="number" min={1} max={100} value={p.position}
              onChange={(e) => setPin(i, { position: e.target.value })} /></label>
            <button type="button" onClick={() => setPins(pins.filter((_, j) => j !== i))} aria-label={`Remove pin ${i + 1}`}>Remove</button>
          </div>
        ))}
        <button type="button" onClick={() => setPins([...pins, { sku: "", position: String(pins.length + 1) }])}>Add a pin</button>
        {problem("pin")}
      </fieldset>
      <label>Hidden SKUs (comma-separated) <input value={hide} onChange={(e) => setHide(e.target.value)} aria-describedby={described("hide")} /></label>
      {problem("hide")}
      <fieldset>
        <legend>Boost or bury</legend>
        {boosts.map((b, i) => (
          <div className="rule-row" key={i} role="group" aria-label={`Boost ${i + 1}`}>
            <label>Brand <input value={b.brand} onChange={(e) => setBoost(i, { brand: e.target.value })} /></label>
            <label>Category <input value={b.category} onChange={(e) => setBoost(i, { category: e.target.value })} /></label>
            <label>Attribute <input value={b.attribute} onChange={(e) => setBoost(i, { attribute: e.target.value })} placeholder="colour" /></label>
            <label>Value <input value={b.value} onChange={(e) => setBoost(i, { value: e.target.value })} placeholder="red" /></label>
            <label>Min price <input type="number" min={0} step="any" value={b.min_price} onChange={(e) => setBoost(i, { min_price: e.target.value })} /></label>
            <label>Max price <input type="number" min={0} step="any" value={b.max_price} onChange={(e) => setBoost(i, { max_price: e.target.value })} /></label>
            <label>Weight (−10 to 10) <input type="number" min={-10} max={10} step="any" value={b.weight}
              onChange={(e) => setBoost(i, { weight: e.target.value })} aria-describedby={described("boost")} /></label>
            <button type="button" onClick={() => setBoosts(boosts.filter((_, j) => j !== i))} aria-label={`Remove boost ${i + 1}`}>Remove</button>
          </div>
        ))}
        <button type="button" onClick={() => setBoosts([...boosts, NO_BOOST])}>Add a boost</button>
        {problem("boost")}
      </fieldset>
      <div className="rule-row">
        <label>Starts (optional) <input type="datetime-local" value={starts} onChange={(e) => setStarts(e.target.value)}
          aria-describedby={described("starts_at")} /></label>
        <label>Ends (optional) <input type="datetime-local" value={ends} onChange={(e) => setEnds(e.target.value)}
          aria-describedby={described("ends_at")} /></label>
      </div>
      {problem("starts_at")}
      {problem("ends_at")}
      {problem("form")}
      <div className="rule-row">
        <button type="submit" className="primary" disabled={busy}>{submitLabel}</button>
        {onCancel && <button type="button" onClick={onCancel}>Cancel</button>}
      </div>
    </form>
  );
}
