import { describe, expect, it } from "vitest";
import { attrLabel, valueLabel } from "./attributes";

describe("attribute labels", () => {
  it("writes names as words", () => {
    expect(attrLabel("screen_size_in")).toBe("Screen size in");
    expect(attrLabel("color")).toBe("Color");
  });

  it("reads range buckets as ranges and leaves other values alone", () => {
    expect(valueLabel("40..50")).toBe("40 – 50");
    expect(valueLabel("..40")).toBe("under 40");
    expect(valueLabel("80..")).toBe("80 and up");
    expect(valueLabel("6.2..6.4")).toBe("6.2 – 6.4");
    expect(valueLabel("Midnight Blue")).toBe("Midnight Blue");
    expect(valueLabel("..")).toBe("..");
    expect(valueLabel("v1..v2")).toBe("v1..v2");
  });
});
