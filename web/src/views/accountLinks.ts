// The token a mailed link carries (`?token=…`), and one verification request per token: React's
// development mode mounts a page twice, and a token works only once.
import { api } from "../api/client";
import type { User } from "../api/types";

export function tokenFromUrl(search: string = window.location.search): string {
  return new URLSearchParams(search).get("token") ?? "";
}

const verifications = new Map<string, Promise<{ user: User }>>();

export function verifyOnce(token: string): Promise<{ user: User }> {
  let pending = verifications.get(token);
  if (!pending) {
    pending = api.verifyEmail(token);
    verifications.set(token, pending);
  }
  return pending;
}

export const RESET_SENT = "If an account uses this address, a link to reset its password is on its way. Check your inbox.";
