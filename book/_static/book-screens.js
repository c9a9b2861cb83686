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

// Tables and formulas wider than the column scroll sideways; a line above says so, and shadows
// mark the edges that have more to show.
function markWideBoxes() {
  const boxes = document.querySelectorAll(
    ".pst-scrollable-table-container, div.math mjx-container, span.math, .table-wrapper");
  boxes.forEach((box) => {
    const wide = box.scrollWidth > box.clientWidth + 1;
    box.classList.toggle("is-scrollable", wide);
    const hint = box.previousElementSibling?.matches(".scroll-hint") ? box.previousElementSibling : null;
    if (wide && !hint && !box.matches("mjx-container, span.math")) {
      const note = document.createElement("span");
      note.className = "scroll-hint";
      note.textContent = "Wider than the page: scroll sideways \u2192";
      box.before(note);
    } else if (!wide && hint) {
      hint.remove();
    }
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
