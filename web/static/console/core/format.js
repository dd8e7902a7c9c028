// How figures read in the console: prices are exact decimal strings from the API (USD per 1M
// tokens) and are never turned into floating point.

const INTEGER = new Intl.NumberFormat("en-US");

export function price(value) {
  if (value === null || value === undefined) return "—";
  if (value === "0") return "free";
  return `$${value}`;
}

export function tokens(value) {
  if (value === null || value === undefined) return "—";
  if (value >= 1_000_000 && value % 1_000_000 === 0) return `${value / 1_000_000}M`;
  if (value >= 1000 && value % 1000 === 0) return `${INTEGER.format(value / 1000)}k`;
  return INTEGER.format(value);
}

export function count(value, one, many = `${one}s`) {
  return `${INTEGER.format(value)} ${value === 1 ? one : many}`;
}

export function date(value) {
  if (!value) return "—";
  return new Date(value).toISOString().slice(0, 10);
}

export function dateTime(value) {
  if (!value) return "—";
  return new Date(value).toLocaleString("en-GB", { dateStyle: "medium", timeStyle: "short" });
}

/** "just now", "4 min ago", "3 h ago", "2 days ago". */
export function age(value, now = Date.now()) {
  const seconds = Math.max(0, Math.round((now - new Date(value).getTime()) / 1000));
  if (seconds < 45) return "just now";
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return `${minutes} min ago`;
  const hours = Math.round(minutes / 60);
  if (hours < 48) return `${hours} h ago`;
  return `${Math.round(hours / 24)} days ago`;
}

/** Where a figure came from, from the model's `sources`: "listed" or "catalog". */
export function origin(sources, field) {
  const found = sources?.find((source) => source.field === field);
  if (!found) return null;
  const kind = found.origin.startsWith("catalog") ? "catalog" : "listed";
  return { kind, detail: found.origin };
}

export const CAPABILITIES = [
  "CHAT", "CONTENT", "VISION", "IMAGE", "AUDIO", "SPEECH", "TRANSCRIPTION",
  "EMBEDDING", "VIDEO", "RERANK", "MODERATION", "TOOLS", "REASONING",
];

export function capability(name) {
  return name.charAt(0) + name.slice(1).toLowerCase();
}
