/**
 * Keeps what a person typed before the page's scripts took over.
 *
 * Every page works as plain HTML first, so on a slow connection people type into a form
 * before React hydrates it. React 18 then sets each prefilled `<textarea>` back to the text
 * the server sent, and each `<select>` back to its default (react-dom's postMountWrapper does
 * this for both, hydrating or not; inputs are left alone): an officer who edited a saved
 * answer would send the old one without knowing. So, from the first moment, the latest
 * value of every textarea and select the person changes is noted, and once hydration has
 * committed anything React put back is restored.
 */
type Field = HTMLTextAreaElement | HTMLSelectElement;

const typed = new Map<Field, string>();
let watching = false;

function note(target: EventTarget | null) {
  if (target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement) typed.set(target, target.value);
}

function onInput(event: Event) {
  note(event.target);
}

/** Starts noting changes; run before hydration begins. */
export function watchTypingBeforeHydration() {
  if (watching) return;
  watching = true;
  // Text already changed before this script ran (the person was quicker than the download).
  for (const area of document.querySelectorAll("textarea")) {
    if (area.value !== area.defaultValue) typed.set(area, area.value);
  }
  for (const select of document.querySelectorAll("select")) {
    const changed = Array.from(select.options).some((option) => option.selected !== option.defaultSelected);
    if (changed) typed.set(select, select.value);
  }
  document.addEventListener("input", onInput, true);
  document.addEventListener("change", onInput, true);
}

/** Puts back what hydration reset, and stops watching; run once hydration has committed. */
export function restoreTypingAfterHydration() {
  if (!watching) return;
  watching = false;
  document.removeEventListener("input", onInput, true);
  document.removeEventListener("change", onInput, true);
  for (const [field, value] of typed) {
    if (field.isConnected && field.value !== value) field.value = value;
  }
  typed.clear();
  // Says the page is now interactive: the browser tests wait for it before checking a field.
  document.documentElement.dataset.hydrated = "true";
}
