import type { ReactNode } from "react";

// The server marks matched words with <mark>; render only that tag and keep every other
// character as text, so a product title can never inject markup.
const MARK = /<mark>([\s\S]*?)<\/mark>/g;

const ENTITIES: Record<string, string> = { "&amp;": "&", "&lt;": "<", "&gt;": ">", "&quot;": '"', "&#x27;": "'", "&#39;": "'" };

function unescape(text: string): string {
  return text.replace(/&(amp|lt|gt|quot|#x27|#39);/g, (m) => ENTITIES[m] ?? m);
}

export function Highlighted({ html, fallback }: { html?: string | null; fallback: string }): ReactNode {
  if (!html) return fallback;
  const parts: ReactNode[] = [];
  let last = 0;
  for (const match of html.matchAll(MARK)) {
    const at = match.index ?? 0;
    if (at > last) parts.push(unescape(html.slice(last, at)));
    parts.push(<mark key={at}>{unescape(match[1])}</mark>);
    last = at + match[0].length;
  }
  if (last < html.length) parts.push(unescape(html.slice(last)));
  return <>{parts}</>;
}
