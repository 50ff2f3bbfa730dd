// Site behaviour without inline scripts (CSP-friendly).
document.addEventListener("click", (event) => {
  // Administrative unit picker: clicking a result fills the hidden input and the visible label.
  const option = event.target.closest("[data-picker-value]");
  if (!option) return;
  event.preventDefault();
  const picker = option.closest("[data-picker]");
  picker.querySelector("input[type=hidden]").value = option.dataset.pickerValue;
  picker.querySelector("[data-picker-label]").textContent = option.dataset.pickerLabel;
  picker.querySelector("[data-picker-search]").value = "";
  picker.querySelector(".picker-results").innerHTML = "";
});

// The project form: show the group size for a group project and the beneficiary for a
// project for one beneficiary only. Without script every field shows and the service
// refuses an inconsistent choice with its message on the field.
function showProjectKindFields(form) {
  const chosen = form.querySelector("[data-project-kind]:checked");
  if (!chosen) return;
  const toggle = (name, shown) => {
    const box = form.querySelector(`[data-field="${name}"]`);
    // a field with an error stays in view, whatever the choice
    if (box) box.hidden = !shown && !box.querySelector(".invalid-feedback");
  };
  toggle("group_size", chosen.value === "group");
  toggle("beneficiary", chosen.value === "single");
}
document.addEventListener("change", (event) => {
  if (event.target.matches("[data-project-kind]")) showProjectKindFields(event.target.form);
});
document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll("form").forEach(showProjectKindFields);
});

// Money fields ([data-money]): digits grouped with dots as the user types ("1.250.000.000").
// Only a plain number is regrouped; "70 triệu" or "1,5 tỷ" is left as typed (the server's
// core.money.parse_vnd reads them all). The caret keeps its place among the digits.
function groupMoney(input) {
  const text = input.value;
  if (!/^[\d. ]*$/.test(text)) return;
  const digits = text.replace(/\D/g, "").replace(/^0+(?=\d)/, "");
  const grouped = digits.replace(/\B(?=(\d{3})+(?!\d))/g, ".");
  if (grouped === text) return;
  const caret = input.selectionStart ?? text.length;
  const digitsBefore = text.slice(0, caret).replace(/\D/g, "").length;
  input.value = grouped;
  let position = 0;
  for (let seen = 0; position < grouped.length && seen < digitsBefore; position += 1) {
    if (/\d/.test(grouped[position])) seen += 1;
  }
  if (document.activeElement === input) input.setSelectionRange(position, position);
}
document.addEventListener("input", (event) => {
  if (event.target.matches("input[data-money]")) groupMoney(event.target);
});

// Date fields ([data-date-input]) are text typed dd/mm/yyyy whatever the browser's language.
// A calendar button next to each opens the browser's own calendar (a date input kept out of
// sight, never submitted) and writes the chosen day back as dd/mm/yyyy.
const pad2 = (number) => String(number).padStart(2, "0");
function isoFromTyped(text) {
  const match = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(text.trim());
  return match ? `${match[3]}-${pad2(match[2])}-${pad2(match[1])}` : "";
}
function calendarIcon() {
  const ns = "http://www.w3.org/2000/svg";
  const svg = document.createElementNS(ns, "svg");
  svg.setAttribute("viewBox", "0 0 16 16");
  svg.setAttribute("width", "16");
  svg.setAttribute("height", "16");
  svg.setAttribute("aria-hidden", "true");
  const path = document.createElementNS(ns, "path");
  path.setAttribute("fill", "currentColor");
  path.setAttribute(
    "d",
    "M4 0h1v2h6V0h1v2h2a1 1 0 0 1 1 1v12a1 1 0 0 1-1 1H2a1 1 0 0 1-1-1V3a1 1 0 0 1 1-1h2zM2 6v9h12V6zm2 2h2v2H4zm3 0h2v2H7zm3 0h2v2h-2zm-6 3h2v2H4zm3 0h2v2H7z",
  );
  svg.append(path);
  return svg;
}
function addCalendar(input) {
  if (input.dataset.calendarReady) return;
  input.dataset.calendarReady = "1";
  const group = document.createElement("div");
  group.className = "input-group date-group";
  input.parentNode.insertBefore(group, input);
  group.appendChild(input);
  const calendar = document.createElement("input");
  calendar.type = "date";
  calendar.className = "date-calendar";
  calendar.tabIndex = -1;
  calendar.setAttribute("aria-hidden", "true");
  const button = document.createElement("button");
  button.type = "button";
  button.className = "btn btn-outline-secondary";
  button.dataset.calendarButton = "";
  button.setAttribute("aria-label", document.documentElement.lang === "en" ? "Calendar" : "Lịch");
  button.title = button.getAttribute("aria-label");
  button.append(calendarIcon());
  button.disabled = input.disabled || input.readOnly;
  group.append(button, calendar);
  button.addEventListener("click", () => {
    calendar.value = isoFromTyped(input.value);
    try {
      calendar.showPicker();
    } catch {
      calendar.focus();
    }
  });
  calendar.addEventListener("change", () => {
    const [year, month, day] = calendar.value.split("-");
    if (!year) return;
    input.value = `${day}/${month}/${year}`;
    input.dispatchEvent(new Event("change", { bubbles: true }));
    input.focus();
  });
}
function addCalendars(root) {
  root.querySelectorAll("input[data-date-input]").forEach(addCalendar);
}
document.addEventListener("DOMContentLoaded", () => addCalendars(document));
document.addEventListener("htmx:afterSwap", (event) => addCalendars(event.target));

// Lists as cards on a phone (table.table-cards, site.css): each cell gets its column heading.
function labelCells(root) {
  root.querySelectorAll("table.table-cards").forEach((table) => {
    const headings = [...table.querySelectorAll("thead th")].map((th) => th.textContent.trim());
    table.querySelectorAll("tbody tr").forEach((row) => {
      let column = 0;
      [...row.children].forEach((cell) => {
        // a cell across columns (the "nothing found" row) keeps no label
        if (!cell.hasAttribute("data-label")) {
          cell.dataset.label = cell.colSpan > 1 ? "" : (headings[column] ?? "");
        }
        column += cell.colSpan || 1;
      });
    });
  });
}
document.addEventListener("DOMContentLoaded", () => labelCells(document));
document.addEventListener("htmx:afterSwap", (event) => labelCells(event.target));
