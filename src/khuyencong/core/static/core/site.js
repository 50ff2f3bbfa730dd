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
