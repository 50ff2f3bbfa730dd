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
