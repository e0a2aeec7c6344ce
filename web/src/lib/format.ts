const money = new Intl.NumberFormat("en-US", { style: "currency", currency: "USD" });

export function formatPrice(value: number | null | undefined): string {
  return value === null || value === undefined ? "" : money.format(value);
}
