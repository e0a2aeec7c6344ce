import { render } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { Highlighted } from "./highlight";

describe("Highlighted", () => {
  it("renders the server's <mark> as mark elements", () => {
    const { container } = render(<Highlighted html="Sonora <mark>wireless</mark> <mark>headphones</mark>" fallback="x" />);
    const marks = container.querySelectorAll("mark");
    expect([...marks].map((m) => m.textContent)).toEqual(["wireless", "headphones"]);
    expect(container.textContent).toBe("Sonora wireless headphones");
  });

  it("keeps every other tag as text, so a title cannot inject markup", () => {
    const html = '<img src=x onerror="alert(1)"><mark>ok</mark><script>alert(2)</script><b>b</b>';
    const { container } = render(<Highlighted html={html} fallback="x" />);
    expect(container.querySelector("img, script, b")).toBeNull();
    expect(container.querySelectorAll("mark")).toHaveLength(1);
    expect(container.textContent).toContain('<img src=x onerror="alert(1)">');
  });

  it("shows escaped entities as the characters they stand for", () => {
    const { container } = render(<Highlighted html="Salt &amp; <mark>pepper</mark> &lt;3" fallback="x" />);
    expect(container.textContent).toBe("Salt & pepper <3");
  });

  it("falls back to the plain title without a highlight", () => {
    const { container } = render(<Highlighted html={undefined} fallback="<b>plain</b>" />);
    expect(container.textContent).toBe("<b>plain</b>");
    expect(container.querySelector("b")).toBeNull();
  });
});
