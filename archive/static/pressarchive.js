// pressarchive: "Copy" buttons beside citations. Plain text only (textContent), never markup.
document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll("button.copy-button[data-copy-target]").forEach((button) => {
    button.addEventListener("click", () => {
      const source = document.getElementById(button.dataset.copyTarget);
      if (!source || !navigator.clipboard) {
        return;
      }
      navigator.clipboard.writeText(source.textContent).then(
        () => { button.textContent = "Copied"; },
        () => { button.textContent = "Select the text to copy"; },
      );
    });
  });
});
