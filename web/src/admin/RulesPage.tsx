import { useCallback, useEffect, useState } from "react";
import { api, ApiError } from "../api/client";
import type { BoostFilter, Rule, RuleInput, SearchResponse } from "../api/types";
import { useToast } from "../state/toasts";
import { PreviewPanel } from "./PreviewPanel";
import { RuleForm } from "./RuleForm";

export function describeTrigger(r: Rule): string {
  if (r.query != null) return `query is “${r.query}”`;
  if (r.contains != null) return `query contains “${r.contains}”`;
  return `category page ${r.category}`;
}

function describeFilter(f: BoostFilter): string {
  const parts = [
    f.brand && `brand ${f.brand}`,
    f.category && `category ${f.category}`,
    f.attribute && `${f.attribute.name} = ${String(f.attribute.value)}`,
    f.min_price != null && `from ${f.min_price}`,
    f.max_price != null && `up to ${f.max_price}`,
  ];
  return parts.filter(Boolean).join(", ");
}

export function describeEffects(r: Rule): string[] {
  return [
    ...r.pin.map((p) => `pin ${p.sku} at ${p.position}`),
    ...(r.hide.length ? [`hide ${r.hide.join(", ")}`] : []),
    ...r.boost.map((b) => `${b.weight < 0 ? "bury" : "boost"} ${describeFilter(b.filter)} (${b.weight})`),
  ];
}

function describeWindow(r: Rule): string {
  const when = (iso: string) => new Date(iso).toLocaleString();
  if (r.starts_at && r.ends_at) return `${when(r.starts_at)} – ${when(r.ends_at)}`;
  if (r.starts_at) return `from ${when(r.starts_at)}`;
  if (r.ends_at) return `until ${when(r.ends_at)}`;
  return "always";
}

function message(error: unknown): string {
  return error instanceof ApiError ? error.message : "Something went wrong.";
}

/** The shop's curation rules (list, add, edit, delete) and a preview of a query with and without them. */
export default function RulesPage() {
  const toast = useToast();
  const [rules, setRules] = useState<Rule[] | null>(null);
  const [editing, setEditing] = useState<number | null>(null);

  const load = useCallback(async () => setRules((await api.rules()).rules), []);
  useEffect(() => {
    load().catch((e) => toast("error", message(e)));
  }, [load, toast]);

  // A refused save rethrows, so the form shows the message beside the field the server named.
  const save = async (work: () => Promise<unknown>, done: string) => {
    await work();
    toast("success", done);
    setEditing(null);
    await load();
  };
  const remove = async (rule: Rule) => {
    try {
      await api.deleteRule(rule.id);
      toast("success", "Rule deleted.");
      await load();
    } catch (e) {
      toast("error", message(e));
    }
  };
  // The skus the rules applied to a search hide: struck out in the preview's "without" column.
  const hiddenBy = (shown: SearchResponse) =>
    new Set((rules ?? []).filter((r) => shown.query.rules?.includes(r.name)).flatMap((r) => r.hide));

  return (
    <main id="main" className="dashboard synonyms rules">
      <h1>Rules</h1>
      <section aria-labelledby="add-rule">
        <h2 id="add-rule">Add a rule</h2>
        <RuleForm submitLabel="Add rule"
          onSubmit={(input: RuleInput) => save(() => api.addRule(input), "Rule saved: searches use it now.")} />
      </section>
      <section aria-labelledby="rule-list">
        <h2 id="rule-list">Rules{rules ? ` (${rules.length})` : ""}</h2>
        {rules === null ? (
          <p className="muted" role="status">Loading…</p>
        ) : rules.length === 0 ? (
          <p className="muted">No rules yet.</p>
        ) : (
          <ul className="synonym-list rule-list">
            {rules.map((r) => (
              <li key={r.id} data-testid={`rule-${r.id}`}>
                {editing === r.id ? (
                  <RuleForm initial={r} submitLabel="Save"
                    onSubmit={(input) => save(() => api.updateRule(r.id, input), "Rule changed.")}
                    onCancel={() => setEditing(null)} />
                ) : (
                  <>
                    <span className="synonym-rule">
                      <strong>{r.name}</strong>: when the {describeTrigger(r)}, {describeEffects(r).join("; ")}
                      <span className="muted"> · {describeWindow(r)}</span>
                    </span>
                    <button type="button" onClick={() => setEditing(r.id)} aria-label={`Edit ${r.name}`}>Edit</button>
                    <button type="button" onClick={() => remove(r)} aria-label={`Delete ${r.name}`}>Delete</button>
                  </>
                )}
              </li>
            ))}
          </ul>
        )}
      </section>
      <PreviewPanel without="rules" label="rules" hidden={hiddenBy} />
    </main>
  );
}
