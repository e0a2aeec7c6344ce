import { useCallback, useEffect, useState } from "react";
import { api, ApiError } from "../api/client";
import type { Synonym, SynonymInput, SynonymSuggestion } from "../api/types";
import { useToast } from "../state/toasts";
import { PreviewPanel } from "./PreviewPanel";
import { SynonymForm } from "./SynonymForm";

function describe(s: Synonym): string {
  return s.kind === "multi_way" ? (s.terms ?? []).join(" ⇄ ") : `${s.from} → ${(s.to ?? []).join(", ")}`;
}

function message(error: unknown): string {
  return error instanceof ApiError ? error.message : "Something went wrong.";
}

/** The shop's synonyms (list, add, edit, delete) and the ones learned from shoppers (accept, reject). */
export default function SynonymsPage() {
  const toast = useToast();
  const [synonyms, setSynonyms] = useState<Synonym[] | null>(null);
  const [suggestions, setSuggestions] = useState<SynonymSuggestion[]>([]);
  const [editing, setEditing] = useState<number | null>(null);
  const [learning, setLearning] = useState(false);

  const load = useCallback(async () => {
    const [listed, learned] = await Promise.all([api.synonyms(), api.synonymSuggestions()]);
    setSynonyms(listed.synonyms);
    setSuggestions(learned.suggestions);
  }, []);
  useEffect(() => {
    load().catch((e) => toast("error", message(e)));
  }, [load, toast]);

  const act = async (work: () => Promise<unknown>, done: string) => {
    try {
      await work();
      toast("success", done);
      setEditing(null);
      await load();
    } catch (e) {
      toast("error", message(e));
      throw e;
    }
  };
  const add = (input: SynonymInput) => act(() => api.addSynonym(input), "Synonym saved: searches use it now.");
  const learn = async () => {
    setLearning(true);
    try {
      setSuggestions((await api.synonymSuggestions(true)).suggestions);
    } catch (e) {
      toast("error", message(e));
    } finally {
      setLearning(false);
    }
  };

  return (
    <main id="main" className="dashboard synonyms">
      <h1>Synonyms</h1>
      <section aria-labelledby="add-synonym">
        <h2 id="add-synonym">Add a synonym</h2>
        <SynonymForm submitLabel="Add" onSubmit={add} />
      </section>
      <section aria-labelledby="synonym-list">
        <h2 id="synonym-list">Synonyms{synonyms ? ` (${synonyms.length})` : ""}</h2>
        {synonyms === null ? (
          <p className="muted" role="status">Loading…</p>
        ) : synonyms.length === 0 ? (
          <p className="muted">No synonyms yet.</p>
        ) : (
          <ul className="synonym-list">
            {synonyms.map((s) => (
              <li key={s.id} data-testid={`synonym-${s.id}`}>
                {editing === s.id ? (
                  <SynonymForm initial={s} submitLabel="Save"
                    onSubmit={(input) => act(() => api.updateSynonym(s.id, input), "Synonym changed.")}
                    onCancel={() => setEditing(null)} />
                ) : (
                  <>
                    <span className="synonym-rule">{describe(s)}</span>
                    <button type="button" onClick={() => setEditing(s.id)} aria-label={`Edit ${describe(s)}`}>Edit</button>
                    <button type="button" onClick={() => act(() => api.deleteSynonym(s.id), "Synonym deleted.").catch(() => undefined)}
                      aria-label={`Delete ${describe(s)}`}>Delete</button>
                  </>
                )}
              </li>
            ))}
          </ul>
        )}
      </section>
      <PreviewPanel without="synonyms" label="synonyms" added="Synonym" />
      <section aria-labelledby="learned">
        <h2 id="learned">Learned from shoppers</h2>
        <p className="muted">
          Queries that found nothing worth a click, followed by one that did, made by many visitors.
          Accepting makes a one-way synonym.
        </p>
        <button type="button" onClick={learn} disabled={learning}>{learning ? "Reading the search log…" : "Look for new ones"}</button>
        {suggestions.length === 0 ? (
          <p className="muted">No suggestions waiting.</p>
        ) : (
          <table className="synonym-suggestions">
            <thead>
              <tr><th>Searched</th><th>Then</th><th>Visitors</th><th>Lift</th><th /></tr>
            </thead>
            <tbody>
              {suggestions.map((s) => (
                <tr key={s.id} data-testid={`suggestion-${s.id}`}>
                  <td>{s.from}</td>
                  <td>{s.to}</td>
                  <td>{s.support}</td>
                  <td>{s.lift.toFixed(1)}</td>
                  <td>
                    <button type="button" className="primary" aria-label={`Accept ${s.from} → ${s.to}`}
                      onClick={() => act(() => api.acceptSuggestion(s.id), `“${s.from}” now also finds “${s.to}”.`).catch(() => undefined)}>
                      Accept
                    </button>
                    <button type="button" aria-label={`Reject ${s.from} → ${s.to}`}
                      onClick={() => act(() => api.rejectSuggestion(s.id), "Suggestion rejected.").catch(() => undefined)}>
                      Reject
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </main>
  );
}
