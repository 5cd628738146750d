import { describe, expect, it } from "vitest";
import { adoptersText, MARK_END, MARK_START, markedWords, snippetParts, stageTag } from "~/reuse/similar-work.ts";

const marked = (text: string) => text.replace(/\[([^\]]*)\]/g, `${MARK_START}$1${MARK_END}`);

describe("the similar-work panel's view model", () => {
  it("splits highlighted text into marked and unmarked runs, keeping every character", () => {
    const text = marked("Tenants [report] a [repair] online with [photos].");
    expect(snippetParts(text)).toEqual([
      { text: "Tenants ", mark: false },
      { text: "report", mark: true },
      { text: " a ", mark: false },
      { text: "repair", mark: true },
      { text: " online with ", mark: false },
      { text: "photos", mark: true },
      { text: ".", mark: false },
    ]);
    expect(snippetParts("No shared words.")).toEqual([{ text: "No shared words.", mark: false }]);
    expect(snippetParts("")).toEqual([]);
  });

  it("drops a stray mark rather than showing it", () => {
    expect(snippetParts(`a${MARK_END}b${MARK_START}c`)).toEqual([{ text: "abc", mark: false }]);
  });

  it("lists each shared word once, in lower case, in the order it first appears", () => {
    expect(markedWords(marked("[Repairs] by [phone]; [repairs] [Phone] [photos]"))).toEqual(["repairs", "phone", "photos"]);
    expect(markedWords(marked("[a] [b] [c] [d]"), 2)).toEqual(["a", "b"]);
  });

  it("names a project's stage, or how it finished, as a tag", () => {
    expect(stageTag("scan_delivering")).toEqual({ text: "Scan", tag: "purple" });
    expect(stageTag("pilot_gateRequested")).toEqual({ text: "Pilot", tag: "blue" });
    expect(stageTag("scale_inReview")).toEqual({ text: "Scale", tag: "turquoise" });
    expect(stageTag("completed")).toEqual({ text: "Completed", tag: "green" });
    expect(stageTag("stopped")).toEqual({ text: "Stopped", tag: "red" });
    expect(stageTag("closed")).toEqual({ text: "Stopped", tag: "red" });
    expect(stageTag("starting")).toEqual({ text: "Starting", tag: "grey" });
  });

  it("says how many councils are adopting it", () => {
    expect(adoptersText(0)).toBe("In scale: no councils adopting it yet");
    expect(adoptersText(1)).toBe("In scale: 1 council adopting it");
    expect(adoptersText(3)).toBe("In scale: 3 councils adopting it");
  });
});
