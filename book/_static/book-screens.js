// The book on every screen: small behaviours the theme lacks. Loaded on every page (deferred)
// by book/_ext/book_screens.py.

// A figure shown smaller than it was drawn opens full size on a tap: each figure is a link to
// its own image (Sphinx already links the ones it gives a size), and says so when it is shrunk
// to less than two thirds of its width.
function linkFiguresToThemselves() {
  document.querySelectorAll(".cell_output img").forEach((img) => {
    if (img.closest(".animation")) return;
    let link = img.closest("a");
    if (!link) {
      link = document.createElement("a");
      link.href = img.getAttribute("src");
      img.replaceWith(link);
      link.appendChild(img);
    }
    link.classList.add("figure-zoom");
    link.title = "Open the figure full size";
    const hint = () => {
      const wanted = parseFloat(img.style.width) || img.naturalWidth;  // CSS pixels
      const shrunk = img.width && wanted && img.width < 0.67 * wanted;
      if (shrunk && !link.nextElementSibling?.matches(".figure-hint")) {
        const note = document.createElement("span");
        note.className = "figure-hint";
        note.textContent = "Tap or click the figure to see it full size.";
        link.after(note);
      }
    };
    if (img.complete) hint(); else img.addEventListener("load", hint);
  });
}

// Boxes that scroll sideways when their content is wider than the column: display formulas,
// inline formulas too wide for a line, tables, code, printed outputs (and the playground's).
const WIDE_BOXES = [
  "div.math mjx-container", "span.math", ".pst-scrollable-table-container",
  ".table-wrapper", "article pre",
].join(", ");

// Which edges of a box that scrolls sideways have more to show: "right", "left", "both" or "".
function hiddenEdges(box) {
  const left = box.scrollLeft > 1;
  const right = box.scrollLeft + box.clientWidth < box.scrollWidth - 1;
  return left && right ? "both" : left ? "left" : right ? "right" : "";
}

// The fade at those edges (data-more) and, where the browser shows no scrollbar at rest, the bar
// the style sheet draws instead (draws-its-bar): the part in sight, from --shown-from to
// --shown-to of the width.
function showHiddenEdges(box) {
  const wide = box.classList.contains("is-scrollable");
  const edges = wide ? hiddenEdges(box) : "";
  if (edges) box.dataset.more = edges;
  else delete box.dataset.more;
  const style = getComputedStyle(box);
  const borders = parseFloat(style.borderTopWidth) + parseFloat(style.borderBottomWidth);
  const nativeBar = box.offsetHeight - box.clientHeight - borders > 0;
  box.classList.toggle("draws-its-bar", wide && !nativeBar);
  if (wide) {
    const percent = (x) => `${((100 * x) / box.scrollWidth).toFixed(2)}%`;
    box.style.setProperty("--shown-from", percent(box.scrollLeft));
    box.style.setProperty("--shown-to", percent(box.scrollLeft + box.clientWidth));
  }
}

// An inline formula wider than its line gets a line of its own, where it scrolls (is-wide).
function markWideInlineFormula(span) {
  span.classList.remove("is-wide");
  const formula = span.querySelector("mjx-container");
  let block = span.parentElement;
  while (block && getComputedStyle(block).display.startsWith("inline")) block = block.parentElement;
  if (!formula || !block || !span.offsetParent) return;
  const style = getComputedStyle(block);
  const room = block.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
  if (formula.getBoundingClientRect().width > room + 1) span.classList.add("is-wide");
}

// A box wider than its room scrolls sideways and says so: a table has a line of text above it;
// every such box fades out at the edges that have more to show (updated as it scrolls).
function markWideBox(box) {
  if (box.matches("span.math")) markWideInlineFormula(box);
  const scrolls = !box.matches("span.math") || box.classList.contains("is-wide");
  const wide = scrolls && box.scrollWidth > box.clientWidth + 1;
  box.classList.toggle("is-scrollable", wide);
  showHiddenEdges(box);
  if (wide && !box.dataset.watched) {
    box.dataset.watched = "";
    box.addEventListener("scroll", () => showHiddenEdges(box), { passive: true });
  }
  const hint = box.previousElementSibling?.matches(".scroll-hint") ? box.previousElementSibling : null;
  const table = box.matches(".pst-scrollable-table-container, .table-wrapper");
  if (wide && table && !hint) {
    const note = document.createElement("span");
    note.className = "scroll-hint";
    note.textContent = "Wider than the page: scroll sideways \u2192";
    box.before(note);
  } else if (!wide && hint) {
    hint.remove();
  }
}

// Every box, now; then again whenever one changes size (a solution or a collapsed cell that
// opens shows its boxes) or the window does (the column's width changes).
const resized = new ResizeObserver((entries) => entries.forEach((entry) => markWideBox(entry.target)));
function markWideBoxes() {
  document.querySelectorAll(WIDE_BOXES).forEach((box) => {
    markWideBox(box);
    resized.observe(box);
  });
}

// The "Exercise N" link in a solution's title goes to the exercise and opens the solution (or
// leaves it open); without this, the title's click handler would also close an open solution.
function solutionLinksKeepSolutionsOpen() {
  document.addEventListener("click", (event) => {
    const link = event.target.closest(".solution > .admonition-title a");
    if (!link) return;
    event.stopPropagation();  // the title (an ancestor) never sees this click
    const solution = link.closest(".solution");
    if (solution.classList.contains("toggle-hidden")) {
      solution.querySelector(":scope > .admonition-title .toggle-button")?.click();
    }
  }, true);
}

solutionLinksKeepSolutionsOpen();
document.addEventListener("DOMContentLoaded", linkFiguresToThemselves);
if (document.readyState !== "loading") linkFiguresToThemselves();
window.addEventListener("resize", markWideBoxes);
// MathJax typesets after "load": mark the boxes once it is done
window.addEventListener("load", () => {
  markWideBoxes();
  window.MathJax?.startup?.promise?.then(markWideBoxes);
});
