import { useState, type FormEvent } from "react";
import type { Synonym, SynonymInput } from "../api/types";

/** Terms typed with commas between them: "sofa, couch" -> ["sofa", "couch"]. */
export function splitTerms(text: string): string[] {
  return text.split(",").map((t) => t.trim()).filter(Boolean);
}

type Props = {
  initial?: Synonym;
  submitLabel: string;
  onSubmit: (input: SynonymInput) => Promise<void>; // rejects when the server refuses

  onCancel?: () => void;
};

/** Add or edit one synonym: multi-way (terms that all mean the same) or one-way (from -> to). */
export function SynonymForm({ initial, submitLabel, onSubmit, onCancel }: Props) {
  const [oneWay, setOneWay] = useState(initial?.kind === "one_way");
  const [terms, setTerms] = useState((initial?.terms ?? []).join(", "));
  const [from, setFrom] = useState(initial?.from ?? "");
  const [to, setTo] = useState((initial?.to ?? []).join(", "));
  const [busy, setBusy] = useState(false);
  const prefix = initial ? `edit-${initial.id}` : "new";

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    try {
      await onSubmit(oneWay ? { from: from.trim(), to: splitTerms(to) } : { terms: splitTerms(terms) });
      if (!initial) {
        setTerms("");
        setFrom("");
        setTo("");
      }
    } catch {
      // Refused: the page shows why, and what was typed stays to be corrected.
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="synonym-form" onSubmit={submit} aria-label={initial ? `Edit synonym ${initial.id}` : "Add a synonym"}>
      <fieldset className="synonym-kind">
        <legend>Kind</legend>
        <label><input type="radio" name={`${prefix}-kind`} checked={!oneWay} onChange={() => setOneWay(false)} /> Multi-way</label>
        <label><input type="radio" name={`${prefix}-kind`} checked={oneWay} onChange={() => setOneWay(true)} /> One-way</label>
      </fieldset>
      {oneWay ? (
        <>
          <label>From <input value={from} onChange={(e) => setFrom(e.target.value)} placeholder="tv" /></label>
          <label>To (comma-separated) <input value={to} onChange={(e) => setTo(e.target.value)} placeholder="television" /></label>
        </>
      ) : (
        <label>Terms (comma-separated) <input value={terms} onChange={(e) => setTerms(e.target.value)} placeholder="sofa, couch, settee" /></label>
      )}
      <button type="submit" className="primary" disabled={busy}>{submitLabel}</button>
      {onCancel && <button type="button" onClick={onCancel}>Cancel</button>}
    </form>
  );
}
