// ARIA 1.2 combobox: typing fetches suggestions (debounced); up/down move, enter picks, esc closes.
import { useEffect, useId, useRef, useState, type FormEvent, type KeyboardEvent } from "react";
import { api } from "../api/client";
import type { Suggestion } from "../api/types";
import { useDebounced } from "../lib/useDebounced";

interface Props {
  initial: string;
  onSearch: (q: string) => void;
  onCategory: (category: string) => void;
  debounceMs?: number;
}

export function SearchBox({ initial, onSearch, onCategory, debounceMs = 200 }: Props) {
  const [text, setText] = useState(initial);
  const [typed, setTyped] = useState(false);
  const [suggestions, setSuggestions] = useState<Suggestion[]>([]);
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(-1);
  const listId = useId();
  const debounced = useDebounced(text, debounceMs);
  const latest = useRef("");

  useEffect(() => setText(initial), [initial]);

  useEffect(() => {
    const q = debounced.trim();
    if (!typed || q.length < 2) {
      setSuggestions([]);
      return;
    }
    latest.current = q;
    api
      .suggest(q)
      .then((r) => {
        if (latest.current !== q) return; // an older answer arriving late
        setSuggestions(r.suggestions);
        setActive(-1);
        setOpen(r.suggestions.length > 0);
      })
      .catch(() => setSuggestions([]));
  }, [debounced, typed]);

  const pick = (s: Suggestion) => {
    setOpen(false);
    setTyped(false);
    if (s.kind === "category") {
      onCategory(s.text);
    } else {
      setText(s.text);
      onSearch(s.text);
    }
  };

  const submit = (e: FormEvent) => {
    e.preventDefault();
    setOpen(false);
    setTyped(false);
    onSearch(text.trim());
  };

  const onKeyDown = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.key === "ArrowDown" && suggestions.length) {
      e.preventDefault();
      setOpen(true);
      setActive((i) => (i + 1) % suggestions.length);
    } else if (e.key === "ArrowUp" && suggestions.length) {
      e.preventDefault();
      setOpen(true);
      setActive((i) => (i <= 0 ? suggestions.length - 1 : i - 1));
    } else if (e.key === "Enter" && open && active >= 0) {
      e.preventDefault();
      pick(suggestions[active]);
    } else if (e.key === "Escape") {
      setOpen(false);
      setActive(-1);
    }
  };

  const expanded = open && suggestions.length > 0;
  return (
    <form role="search" className="searchbox" onSubmit={submit}>
      <label htmlFor="search-input" className="visually-hidden">
        Search products
      </label>
      <div className="combo">
        <input
          id="search-input"
          type="search"
          role="combobox"
          aria-autocomplete="list"
          aria-expanded={expanded}
          aria-controls={listId}
          aria-activedescendant={expanded && active >= 0 ? `${listId}-${active}` : undefined}
          autoComplete="off"
          placeholder="Search products, brands, categories…"
          value={text}
          onChange={(e) => {
            setText(e.target.value);
            setTyped(true);
          }}
          onKeyDown={onKeyDown}
          onBlur={() => setTimeout(() => setOpen(false), 150)}
        />
        <ul id={listId} role="listbox" aria-label="Suggestions" className="suggestions" hidden={!expanded}>
          {suggestions.map((s, i) => (
            <li
              key={`${s.kind}:${s.text}`}
              id={`${listId}-${i}`}
              role="option"
              aria-selected={i === active}
              className={i === active ? "active" : undefined}
              onMouseDown={(e) => {
                e.preventDefault();
                pick(s);
              }}
            >
              <span>{s.text}</span>
              <span className="kind">{s.kind === "category" ? "in categories" : s.kind}</span>
            </li>
          ))}
        </ul>
      </div>
      <button type="submit">Search</button>
    </form>
  );
}
