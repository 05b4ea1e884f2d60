// 备货与分拣: the print button (inline handlers are refused by the pages' CSP).
document.addEventListener("click", (event) => {
  if (event.target.closest("[data-print]")) {
    window.print();
  }
});
